// go-units sizes and docker's CPU formatting, as info and node/service inspect --pretty print them.

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** units.BytesSize: `%.4g` of the value in the largest binary unit below it. */
export function bytesSize(bytes: number): string {
  let size = bytes;
  let i = 0;
  while (size >= 1024 && i < BINARY.length - 1) {
    size /= 1024;
    i++;
  }
  return `${String(Number(size.toPrecision(4)))}${BINARY[i]}`;
}

/** NanoCPUs as a plain decimal number of CPUs (strconv.FormatFloat 'f', -1). */
export const nanoCpus = (n: number): string => String(n / 1e9);
