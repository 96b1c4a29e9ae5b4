// A command writes its output in many small pieces; the terminal wants them in as few
// messages as possible (each is a postMessage or a WebSocket frame). Pieces written in one
// turn of the event loop go out together, in order.

export interface BatchedWriter {
  write(text: string): void;
  /** Sends what is pending now (at the end of a command, so nothing stays behind). */
  flush(): void;
}

export function batchedWriter(send: (text: string) => void): BatchedWriter {
  let pending = '';
  const flush = (): void => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    send(text);
  };
  return {
    write(text) {
      if (pending === '' && text !== '') queueMicrotask(flush);
      pending += text;
    },
    flush,
  };
}
