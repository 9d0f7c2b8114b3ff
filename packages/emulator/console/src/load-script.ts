// Loads a classic script (an AMD loader, a UMD library) once per page; later calls share the wait.

const loading = new Map<string, Promise<void>>();

/** Resolves when the script at `src` (relative to the page) has run; rejects if it fails to load. */
export function loadScript(src: string): Promise<void> {
  const known = loading.get(src);
  if (known) return known;
  const promise = new Promise<void>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.addEventListener('load', () => {
      resolve();
    });
    script.addEventListener('error', () => {
      loading.delete(src);
      reject(new Error(`the console could not load ${src}`));
    });
    document.head.append(script);
  });
  loading.set(src, promise);
  return promise;
}
