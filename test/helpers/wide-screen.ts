// What a wide terminal (250 columns) shows for one command's output: no wrapping, the
// progress display's redraws applied. The real-capture comparisons read outputs this way.
import { renderTranscript } from '../../engine/node/transcript.js';

export async function wideScreen(output: string): Promise<string> {
  const text = await renderTranscript([{ command: '', output }], { cols: 250 });
  return text.slice(text.indexOf('\n') + 1);
}
