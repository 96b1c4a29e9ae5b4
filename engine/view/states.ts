// Task states as the view groups them. Its own module: the page uses it without loading the
// derivation.

/** States a task ends in: its container has stopped, or never ran. */
export const STOPPED: ReadonlySet<string> = new Set(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned']);
