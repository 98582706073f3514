/** The undo/redo history behind useUndoable: a pure reducer, so it can be tested without React. */

/** How many past states are kept; older ones are dropped. */
export const UNDO_LIMIT = 200;

export interface UndoState<T> {
  past: T[];
  present: T;
  future: T[];
}

export type UndoAction<T> =
  | { type: "set"; value: T }
  | { type: "reset"; value: T }
  | { type: "undo" }
  | { type: "redo" };

export function createHistory<T>(present: T): UndoState<T> {
  return { past: [], present, future: [] };
}

export function undoReducer<T>(state: UndoState<T>, action: UndoAction<T>): UndoState<T> {
  switch (action.type) {
    case "set": {
      if (Object.is(action.value, state.present)) return state;
      const past = [...state.past, state.present];
      return { past: past.length > UNDO_LIMIT ? past.slice(past.length - UNDO_LIMIT) : past, present: action.value, future: [] };
    }
    case "reset":
      return createHistory(action.value);
    case "undo": {
      const previous = state.past.at(-1);
      if (state.past.length === 0) return state;
      return { past: state.past.slice(0, -1), present: previous as T, future: [state.present, ...state.future] };
    }
    case "redo": {
      if (state.future.length === 0) return state;
      const [next, ...future] = state.future;
      return { past: [...state.past, state.present].slice(-UNDO_LIMIT), present: next as T, future };
    }
  }
}
