"use client";

import { useCallback, useMemo, useReducer } from "react";
import { createHistory, undoReducer, type UndoAction, type UndoState } from "./undo-history";

export { UNDO_LIMIT } from "./undo-history";

export interface Undoable<T> {
  value: T;
  /** A new value; it becomes undoable (the redo stack is cleared). */
  set(next: T): void;
  /** Replaces the value and clears the history (e.g. after a save or when another version is loaded). */
  reset(next: T): void;
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
}

/** A value with an undo/redo history of up to 200 steps. Setting the same object again is not a step. */
export function useUndoable<T>(initial: T): Undoable<T> {
  const [state, dispatch] = useReducer<UndoState<T>, T, [UndoAction<T>]>(undoReducer, initial, createHistory);
  const set = useCallback((value: T) => dispatch({ type: "set", value }), []);
  const reset = useCallback((value: T) => dispatch({ type: "reset", value }), []);
  const undo = useCallback(() => dispatch({ type: "undo" }), []);
  const redo = useCallback(() => dispatch({ type: "redo" }), []);
  const canUndo = state.past.length > 0;
  const canRedo = state.future.length > 0;
  return useMemo(
    () => ({ value: state.present, set, reset, undo, redo, canUndo, canRedo }),
    [state.present, set, reset, undo, redo, canUndo, canRedo],
  );
}
