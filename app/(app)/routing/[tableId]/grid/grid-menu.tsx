"use client";

import { useEffect, useLayoutEffect, useRef, type KeyboardEvent } from "react";

export interface MenuItem {
  label: string;
  onSelect(): void;
  disabled?: boolean;
  /** Why the item is disabled (shown as its title). */
  reason?: string;
  danger?: boolean;
  shortcut?: string;
}

export interface MenuAnchor {
  top: number;
  bottom: number;
  left: number;
}

/**
 * A small popup menu (ARIA menu pattern) at a fixed position below its anchor, so the grid's scroll container
 * cannot clip it. ↑/↓/Home/End move, Enter/Space activate, Escape or Tab close and return focus to the cell.
 */
export function GridMenu({ label, anchor, items, onClose }: {
  label: string;
  anchor: MenuAnchor;
  items: MenuItem[];
  /** `refocus`: return focus to the cell the menu belongs to. */
  onClose(refocus: boolean): void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  useLayoutEffect(() => {
    closeRef.current = onClose;
  });

  useLayoutEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus();
  }, []);

  useEffect(() => {
    const onDoc = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) closeRef.current(false);
    };
    document.addEventListener("mousedown", onDoc);
    return () => document.removeEventListener("mousedown", onDoc);
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    let next: number | null = null;
    switch (e.key) {
      case "ArrowDown": next = (at + 1) % buttons.length; break;
      case "ArrowUp": next = at <= 0 ? buttons.length - 1 : at - 1; break;
      case "Home": next = 0; break;
      case "End": next = buttons.length - 1; break;
      case "Escape":
      case "Tab":
        e.preventDefault();
        e.stopPropagation();
        onClose(true);
        return;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    buttons[next]?.focus();
  };

  const below = anchor.bottom + 40 * items.length + 16 < window.innerHeight;
  return (
    <div
      ref={ref}
      role="menu"
      aria-label={label}
      className="dt-menu"
      style={{ left: Math.max(4, anchor.left), ...(below ? { top: anchor.bottom + 2 } : { bottom: window.innerHeight - anchor.top + 2 }) }}
      onKeyDown={onKeyDown}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.danger ? "dt-menu-item dt-menu-danger" : "dt-menu-item"}
          aria-disabled={item.disabled ? true : undefined}
          title={item.disabled ? item.reason : undefined}
          onClick={() => {
            if (!item.disabled) item.onSelect();
          }}
        >
          <span>{item.label}</span>
          {item.shortcut ? <kbd>{item.shortcut}</kbd> : null}
        </button>
      ))}
    </div>
  );
}
