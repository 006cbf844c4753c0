// What a page tells the restriction page it opens after a write (router state): what was done and
// what the write's answer said it did to seats.
import type { Impact } from './api.js';

export type WrittenState =
  | { readonly action: 'recorded'; readonly impact: Impact }
  /** A save whose answer never came, found in the record: nothing was recorded twice. */
  | { readonly action: 'found' };
