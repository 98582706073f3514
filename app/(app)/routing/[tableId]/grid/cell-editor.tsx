"use client";

import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from "react";
import { applySuggestion, filterSuggestions, type Suggestion } from "./cells";

/** Where focus goes after a commit: the next cell in that direction, or (null) the edited cell. */
export type EditorMove = "down" | "up" | "right" | "left" | null;

export interface CellEditorProps {
  /** The input's accessible name, `${ruleId} ${column}`. */
  label: string;
  initialText: string;
  /** Editing started by typing a character: suggestions are filtered from the start. */
  typed: boolean;
  suggestions: readonly Suggestion[];
  /** Value suggestions complete the last item of a comma list (`'A', 'B'`). */
  listAware: boolean;
  /** A blocking problem (the editor stays open and shows it), or null. */
  validate?: (text: string) => string | null;
  /** A non-blocking hint while typing (e.g. the cell does not parse), or null. */
  hint?: (text: string) => string | null;
  /** Ids of elements describing the cell (its diagnostics). */
  describedBy?: string;
  onCommit(text: string, move: EditorMove, refocus: boolean): void;
  onCancel(refocus: boolean): void;
}

/**
 * The in-cell text editor: an ARIA combobox with a suggestion listbox. Enter commits and moves down (Shift+Enter up),
 * Tab/Shift+Tab commit and move right/left, Escape closes the list or cancels, ↑/↓ pick a suggestion, blur commits.
 */
export function CellEditor(props: CellEditorProps) {
  const { label, initialText, suggestions, listAware, validate, hint, describedBy, onCommit, onCancel } = props;
  const id = useId();
  const listId = `${id}-list`;
  const messageId = `${id}-msg`;
  const inputRef = useRef<HTMLInputElement>(null);
  const caret = useRef<number | null>(null);
  const done = useRef(false);
  const [text, setText] = useState(initialText);
  const [typed, setTyped] = useState(props.typed);
  const [open, setOpen] = useState(true);
  const [activeIndex, setActiveIndex] = useState(-1);
  const [error, setError] = useState<string | null>(null);
  const [rect, setRect] = useState<{ top: number; bottom: number; left: number; width: number } | null>(null);

  const candidates = filterSuggestions(suggestions, text, typed, listAware);
  const shown = open ? candidates : [];
  const hintText = typed && !error ? (hint?.(text) ?? null) : null;
  const message = error ?? hintText;
  const popupVisible = rect !== null && (shown.length > 0 || message !== null);

  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
    const place = () => {
      const r = el.getBoundingClientRect();
      setRect({ top: r.top, bottom: r.bottom, left: r.left, width: r.width });
    };
    place();
    window.addEventListener("scroll", place, true);
    window.addEventListener("resize", place);
    return () => {
      window.removeEventListener("scroll", place, true);
      window.removeEventListener("resize", place);
    };
  }, []);

  useLayoutEffect(() => {
    if (caret.current === null) return;
    inputRef.current?.setSelectionRange(caret.current, caret.current);
    caret.current = null;
  });

  useEffect(() => {
    if (activeIndex >= 0) document.getElementById(`${id}-opt-${activeIndex}`)?.scrollIntoView({ block: "nearest" });
  }, [activeIndex, id]);

  const finish = (value: string, move: EditorMove, refocus = true) => {
    if (done.current) return;
    const problem = validate?.(value) ?? null;
    if (problem) {
      setText(value);
      setError(problem);
      setActiveIndex(-1);
      return;
    }
    done.current = true;
    onCommit(value, move, refocus);
  };

  const cancel = (refocus: boolean) => {
    if (done.current) return;
    done.current = true;
    onCancel(refocus);
  };

  const pick = (option: Suggestion, move: EditorMove) => {
    const next = applySuggestion(text, option, listAware);
    if (option.kind === "value") {
      finish(next.text, move);
      return;
    }
    setText(next.text);
    setTyped(true);
    setError(null);
    setActiveIndex(-1);
    caret.current = next.caret;
    inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const option = activeIndex >= 0 ? shown[activeIndex] : undefined;
    switch (e.key) {
      case "ArrowDown":
        if (candidates.length === 0) return;
        e.preventDefault();
        if (!open) {
          setOpen(true);
          setActiveIndex(0);
        } else setActiveIndex((i) => (i + 1) % candidates.length);
        break;
      case "ArrowUp":
        if (shown.length === 0) return;
        e.preventDefault();
        setActiveIndex((i) => (i <= 0 ? shown.length - 1 : i - 1));
        break;
      case "Enter":
        e.preventDefault();
        if (option) pick(option, e.shiftKey ? "up" : "down");
        else finish(text, e.shiftKey ? "up" : "down");
        break;
      case "Tab":
        e.preventDefault();
        finish(option?.kind === "value" ? applySuggestion(text, option, listAware).text : text, e.shiftKey ? "left" : "right");
        break;
      case "Escape":
        e.preventDefault();
        if (option) {
          setActiveIndex(-1);
          setOpen(false);
        } else cancel(true);
        break;
      default:
        return;
    }
    e.stopPropagation();
  };

  const below = rect ? rect.bottom + 260 < window.innerHeight || rect.top < 260 : true;
  const describers = [describedBy, message ? messageId : undefined].filter(Boolean).join(" ");

  return (
    <>
      <input
        ref={inputRef}
        className="dt-editor"
        type="text"
        role="combobox"
        aria-label={label}
        aria-expanded={shown.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeIndex >= 0 && activeIndex < shown.length ? `${id}-opt-${activeIndex}` : undefined}
        aria-invalid={error ? true : undefined}
        aria-describedby={describers || undefined}
        autoComplete="off"
        spellCheck={false}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setTyped(true);
          setOpen(true);
          setError(null);
          setActiveIndex(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (done.current || !document.hasFocus()) return;
          if (validate?.(text)) cancel(false);
          else finish(text, null, false);
        }}
      />
      <div
        className="dt-popup"
        hidden={!popupVisible}
        style={rect ? {
          left: rect.left,
          minWidth: Math.max(rect.width, 220),
          ...(below ? { top: rect.bottom + 2 } : { bottom: window.innerHeight - rect.top + 2 }),
        } : undefined}
      >
        {message ? (
          <div id={messageId} className={error ? "dt-popup-msg dt-popup-error" : "dt-popup-msg"} role={error ? "alert" : undefined}>{message}</div>
        ) : null}
        <ul id={listId} role="listbox" aria-label={`Suggestions for ${label}`} className="dt-options">
          {shown.map((o, i) => (
            <li
              key={`${o.label}\u0000${i}`}
              id={`${id}-opt-${i}`}
              role="option"
              aria-selected={i === activeIndex}
              className="dt-option"
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(o, null)}
              onMouseEnter={() => setActiveIndex(i)}
            >
              <span className="mono">{o.label}</span>
              {o.hint ? <span className="dt-option-hint">{o.hint}</span> : null}
            </li>
          ))}
        </ul>
      </div>
    </>
  );
}

