// The few parts of Monaco's and Monaco Kusto's globals the console uses, typed here so the
// browser build needs neither package's declarations.

export interface MonacoPosition {
  readonly lineNumber: number;
  readonly column: number;
}

export interface MonacoModel {
  readonly uri: unknown;
}

export interface MonacoSelection {
  readonly startLineNumber: number;
  readonly startColumn: number;
  readonly endLineNumber: number;
  readonly endColumn: number;
}

export interface MonacoEditor {
  getValue(): string;
  setValue(value: string): void;
  getModel(): MonacoModel | null;
  getSelection(): MonacoSelection | null;
  executeEdits(source: string, edits: { range: MonacoSelection; text: string }[]): boolean;
  addCommand(keybinding: number, handler: () => void): unknown;
  setPosition(position: MonacoPosition): void;
  revealLineInCenter(line: number): void;
  focus(): void;
}

export interface KustoWorker {
  setSchema(schema: unknown): Promise<void>;
}

export interface MonacoMarker {
  readonly severity: number;
  readonly message: string;
  readonly startLineNumber: number;
  readonly startColumn: number;
  readonly endLineNumber: number;
  readonly endColumn: number;
}

export interface Monaco {
  readonly editor: {
    create(el: HTMLElement, options: Record<string, unknown>): MonacoEditor;
    setModelMarkers(model: MonacoModel, owner: string, markers: readonly MonacoMarker[]): void;
  };
  readonly MarkerSeverity: { readonly Error: number };
  readonly languages: {
    readonly kusto?: {
      getKustoWorker(): Promise<(uri: unknown) => Promise<KustoWorker>>;
    };
  };
  readonly KeyMod: { readonly Shift: number; readonly CtrlCmd: number };
  readonly KeyCode: { readonly Enter: number };
}

/** The AMD loader's `require`, as Monaco's loader.js defines it. */
export interface AmdRequire {
  (modules: readonly string[], onLoad: () => void, onError?: (error: unknown) => void): void;
  config(options: { paths: Record<string, string> }): void;
}

declare global {
  interface Window {
    monaco?: Monaco;
  }
}
