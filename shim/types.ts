/**
 * The shapes of consent-guard's public API, generated from `src/shapes.rs`. Field names and
 * meanings are fixed; results may carry more fields than listed.
 * @module
 */

export type * from "./gen/public";
