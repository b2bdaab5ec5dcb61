// Messages between the extension and the catalog webview (both sides import this file).
export interface CatalogRow {
  code: string;
  title: string;
  category: string;
  severity: string;
  message: string;
  action: string;
}

export type ToWebview = { type: 'catalog'; rows: CatalogRow[]; focus?: string };
export type FromWebview = { type: 'ready' } | { type: 'explain'; code: string };
