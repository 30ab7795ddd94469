// WGSL lives in `shaders/`, one file per role; programs (program.ts) put
// files together. Node reads them from the package (the same relative path
// from src/gpu and dist/gpu); a browser build gets the file's URL from Vite,
// which rewrites `new URL(..., import.meta.url)`.

const cache = new Map<string, Promise<string>>();

/** The text of `shaders/<name>.wgsl`. */
export function loadShader(name: string): Promise<string> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad shader name: ${JSON.stringify(name)}`);
  let text = cache.get(name);
  if (!text) {
    const url = new URL(`../../shaders/${name}.wgsl`, import.meta.url);
    text = url.protocol === 'file:'
      ? import('node:fs/promises').then((fs) => fs.readFile(url, 'utf8'))
      : fetch(url).then((r) => {
        if (!r.ok) throw new Error(`cannot load shader ${name}: HTTP ${r.status}`);
        return r.text();
      });
    cache.set(name, text);
  }
  return text;
}
