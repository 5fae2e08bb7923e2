// Types of scripts/jsdomBundle.mjs for the tests that import it.
export declare const JSDOM_PATCHES: { file: RegExp; find: RegExp; replace: (root: string) => string }[];
export declare function patchJsdomSource(path: string, text: string, root: string): string;
export declare function bundleJsdom(root: string): Promise<number>;
