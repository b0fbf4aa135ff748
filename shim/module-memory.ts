/**
 * The rules module's memory, kept once the module is instantiated, for the callers that write
 * into it directly (see `table-reader.ts`).
 * @module
 */

let memory: WebAssembly.Memory | undefined;

/** Keep the memory of the instantiated module. */
export function setModuleMemory(instantiated: WebAssembly.Memory): void {
  memory = instantiated;
}

/** The module's memory; only called once the module is ready. */
export function moduleMemory(): WebAssembly.Memory {
  if (!memory) throw new Error("the rules module is not ready; await ready() first (ConsentGuard.ready() in the web resource)");
  return memory;
}
