// Files a run or describe request carries (the model library), read by the engine's .include
// resolver in the worker.

/** The engine's .include resolver over the files a run request carries (null: includes are errors). */
export function fileResolver(files: Record<string, string> | undefined) {
  if (!files) return null;
  return (path: string, fromFile: string) => {
    if (Object.prototype.hasOwnProperty.call(files, path)) return { name: path, text: files[path] };
    const dir = fromFile.includes('/') ? fromFile.slice(0, fromFile.lastIndexOf('/') + 1) : '';
    const parts: string[] = [];
    for (const seg of (dir + path).split('/')) {
      if (seg === '..') parts.pop();
      else if (seg !== '.' && seg !== '') parts.push(seg);
    }
    const joined = parts.join('/');
    if (Object.prototype.hasOwnProperty.call(files, joined)) return { name: joined, text: files[joined] };
    return { error: `no file '${path}' here (the browser has the model library, models/...; other files: use the server)` };
  };
}
