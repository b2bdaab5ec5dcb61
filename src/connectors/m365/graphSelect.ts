// `$select` lists typed with Microsoft's published Graph v1.0 types (@microsoft/microsoft-graph-types):
// a property the type lacks (such as mailFolder's beta-only sizeInBytes) does not compile, where
// Graph would answer 400 "Could not find a property named ...".
import type * as Graph from '@microsoft/microsoft-graph-types';

/** The `$select` value for these properties of Graph type `T`. */
export function select<T extends Graph.Entity>(...names: readonly (keyof T & string)[]): string {
  return names.join(',');
}
