// Preview, then save: a write's dry run shows what it will change before it is made; the save
// sends exactly the input previewed (changing a field asks for a fresh preview), runs once however
// often Save is clicked, and after a network failure checks before it tries again.
import { useCallback, useRef, useState } from 'react';
import type { LoadResult } from '../../api/client.js';
import { ApiError } from '../../api/query.js';
import { inputKey } from './words.js';

export type WriteState<Answer> =
  | { readonly stage: 'editing' }
  | { readonly stage: 'previewing' }
  | { readonly stage: 'saving' }
  | { readonly stage: 'refused'; readonly error: ApiError; readonly during: 'preview' | 'save' }
  /** The save's answer never came: it may or may not have been written. */
  | { readonly stage: 'unsure' }
  | { readonly stage: 'saved'; readonly answer: Answer };

export interface Preview<Body, Answer> {
  readonly key: string;
  readonly body: Body;
  readonly answer: Answer;
}

export interface PreviewedWrite<Body, Answer> {
  readonly state: WriteState<Answer>;
  /** The last preview, whatever input it was made of (fresh only when `isFresh`). */
  readonly preview: Preview<Body, Answer> | undefined;
  readonly isFresh: (body: Body) => boolean;
  readonly runPreview: (body: Body) => Promise<void>;
  /** Saves the previewed input; does nothing unless it is still the input and no write runs. */
  readonly save: (body: Body) => Promise<void>;
  /** After a network failure: checks whether it was written, and saves again only if not. */
  readonly retry: (body: Body) => Promise<void>;
  readonly busy: boolean;
}

export function usePreviewedWrite<Body, Answer>({
  write,
  onRefused,
  onSaved,
  wasWritten,
}: {
  readonly write: (body: Body, dryRun: boolean) => Promise<LoadResult<Answer>>;
  /** A refusal: the form places its message beside the field it names, or above. */
  readonly onRefused?: (error: ApiError) => void;
  readonly onSaved: (answer: Answer, body: Body) => void;
  /**
   * After a save whose answer never came: whether the record holds it already (true: it is not
   * sent again). Writes that name the version they were made against need none: a second send is
   * refused as stale.
   */
  readonly wasWritten?: (body: Body) => Promise<boolean>;
}): PreviewedWrite<Body, Answer> {
  const [state, setState] = useState<WriteState<Answer>>({ stage: 'editing' });
  const [preview, setPreview] = useState<Preview<Body, Answer>>();
  // Set synchronously: a second click arrives before React has disabled the button.
  const running = useRef(false);

  const isFresh = useCallback(
    (body: Body) => preview !== undefined && preview.key === inputKey(body),
    [preview],
  );

  const refuse = (error: ApiError, during: 'preview' | 'save') => {
    setState({ stage: 'refused', error, during });
    onRefused?.(error);
  };

  const runPreview = async (body: Body) => {
    if (running.current) return;
    running.current = true;
    setState({ stage: 'previewing' });
    setPreview(undefined);
    try {
      const result = await write(body, true);
      if (result.ok) {
        setPreview({ key: inputKey(body), body, answer: result.value });
        setState({ stage: 'editing' });
      } else refuse(new ApiError(result.error), 'preview');
    } finally {
      running.current = false;
    }
  };

  const send = async (body: Body) => {
    setState({ stage: 'saving' });
    const result = await write(body, false);
    if (result.ok) {
      setState({ stage: 'saved', answer: result.value });
      setPreview(undefined);
      onSaved(result.value, body);
    } else if (result.error.kind === 'unreachable') setState({ stage: 'unsure' });
    else refuse(new ApiError(result.error), 'save');
  };

  const save = async (body: Body) => {
    if (running.current || preview === undefined || preview.key !== inputKey(body)) return;
    running.current = true;
    try {
      await send(preview.body);
    } finally {
      running.current = false;
    }
  };

  const retry = async (body: Body) => {
    if (running.current) return;
    running.current = true;
    try {
      setState({ stage: 'saving' });
      let written = false;
      try {
        written = (await wasWritten?.(body)) ?? false;
      } catch {
        setState({ stage: 'unsure' });
        return;
      }
      if (written) {
        setState({ stage: 'editing' });
        setPreview(undefined);
        return;
      }
      await send(body);
    } finally {
      running.current = false;
    }
  };

  return {
    state,
    preview,
    isFresh,
    runPreview,
    save,
    retry,
    busy: state.stage === 'previewing' || state.stage === 'saving',
  };
}
