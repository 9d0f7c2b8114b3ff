// The query editor: Monaco with Monaco Kusto (completion, highlighting and diagnostics from the
// emulator's schema), loaded through Monaco's AMD loader from the emulator itself (no CDN, no
// bundler); a plain textarea when Monaco cannot load, so the console still runs queries.

import { loadScript } from '../load-script.js';
import type { AmdRequire, Monaco, MonacoEditor } from './monaco-types.js';

/** What the query tab needs from an editor, whichever one loaded. */
export interface QueryEditor {
  readonly kind: 'monaco' | 'textarea';
  getValue(): string;
  /** Replaces the selection (or inserts at the cursor) with `text`. */
  insert(text: string): void;
  focus(): void;
  /** Gives the editor a new EngineSchema (tables or functions added since it loaded). */
  setSchema(schema: unknown): Promise<void>;
  /**
   * Underlines where the emulator's engine refused the query (1-based line and column), or
   * clears that mark when `at` is undefined. Monaco Kusto's own diagnostics stay as they are.
   */
  markError(at: { line: number; col: number; message: string } | undefined): void;
}

/** The marker owner of the emulator's errors, apart from Monaco Kusto's. */
const ENGINE_MARKERS = 'otel-sentinel-emulator';

function amdRequire(): AmdRequire {
  const loader = (window as unknown as { require?: AmdRequire }).require;
  if (typeof loader !== 'function') throw new Error("Monaco's loader.js defined no require");
  return loader;
}

function requireModules(modules: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    amdRequire()(modules, resolve, (error: unknown) => {
      reject(error instanceof Error ? error : new Error(`could not load ${modules.join(', ')}`));
    });
  });
}

async function loadMonaco(): Promise<Monaco> {
  await loadScript('./vs/loader.js');
  amdRequire().config({ paths: { vs: new URL('./vs', location.href).href.replace(/\/$/, '') } });
  await requireModules(['vs/editor/editor.main']);
  await requireModules(['vs/language/kusto/monaco.contribution']);
  const monaco = window.monaco;
  if (!monaco) throw new Error('Monaco loaded but defined no monaco global');
  return monaco;
}

function monacoEditor(el: HTMLElement, monaco: Monaco, value: string, run: () => void): MonacoEditor {
  const editor = monaco.editor.create(el, {
    value,
    language: 'kusto',
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    scrollBeyondLastLine: false,
    wordWrap: 'on',
  });
  editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, run);
  return editor;
}

async function giveSchema(monaco: Monaco, editor: MonacoEditor, schema: unknown): Promise<void> {
  const model = editor.getModel();
  const kusto = monaco.languages.kusto;
  if (!model || !kusto) return;
  const accessor = await kusto.getKustoWorker();
  const worker = await accessor(model.uri);
  await worker.setSchema(schema);
}

function fromMonaco(monaco: Monaco, editor: MonacoEditor): QueryEditor {
  return {
    kind: 'monaco',
    setSchema: (schema) => giveSchema(monaco, editor, schema),
    markError: (at) => {
      const model = editor.getModel();
      if (!model) return;
      const markers =
        at === undefined
          ? []
          : [
              {
                severity: monaco.MarkerSeverity.Error,
                message: at.message,
                startLineNumber: at.line,
                startColumn: at.col,
                endLineNumber: at.line,
                endColumn: at.col + 1,
              },
            ];
      monaco.editor.setModelMarkers(model, ENGINE_MARKERS, markers);
    },
    getValue: () => editor.getValue(),
    insert: (text) => {
      const range = editor.getSelection();
      if (range) editor.executeEdits('console-sidebar', [{ range, text }]);
      editor.focus();
    },
    focus: () => {
      editor.focus();
    },
  };
}

function textareaEditor(el: HTMLElement, value: string, run: () => void): QueryEditor {
  const area = document.createElement('textarea');
  area.className = 'editor-fallback';
  area.value = value;
  area.spellcheck = false;
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      run();
    }
  });
  el.replaceChildren(area);
  return {
    kind: 'textarea',
    setSchema: () => Promise.resolve(),
    markError: () => undefined,
    getValue: () => area.value,
    insert: (text) => {
      area.setRangeText(text, area.selectionStart, area.selectionEnd, 'end');
      area.focus();
    },
    focus: () => {
      area.focus();
    },
  };
}

/**
 * Makes the editor in `el` (Monaco Kusto, else a textarea, with `data-editor` saying which) and
 * gives it the schema; Shift+Enter calls `run`. `schema` is the EngineSchema promise.
 */
export async function createQueryEditor(
  el: HTMLElement,
  value: string,
  schema: Promise<unknown>,
  run: () => void,
): Promise<QueryEditor> {
  try {
    const monaco = await loadMonaco();
    const editor = monacoEditor(el, monaco, value, run);
    el.dataset['editor'] = 'monaco';
    // Completion works without a schema too (operators, functions): the schema only adds names.
    void schema
      .then((s) => giveSchema(monaco, editor, s))
      .then(
        () => (el.dataset['schema'] = 'loaded'),
        () => (el.dataset['schema'] = 'failed'),
      );
    return fromMonaco(monaco, editor);
  } catch (error: unknown) {
    el.dataset['editor'] = 'textarea';
    el.title = `Monaco did not load (${error instanceof Error ? error.message : String(error)}); a plain editor instead`;
    return textareaEditor(el, value, run);
  }
}
