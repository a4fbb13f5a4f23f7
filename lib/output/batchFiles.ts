import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { type WriteStream, createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { createGzip } from 'node:zlib';
import { type Observable, concat, concatMap, defer, finalize, from, mergeAll } from 'rxjs';
import { TapSigmaError } from '../errors.js';
import { type DemandGate, SwitchGate } from '../http/demandGate.js';
import { type BatchMessage, type RecordBatch, serializeRecordLines } from '../singer/messages.js';
import type { BatchSettings } from './batchSettings.js';
import type { OutputItem } from './singerOutput.js';

export interface BatchFilesOptions {
  readonly settings: BatchSettings;
  /** The first part of every file name, as the SDK's `{tap_name}--{stream}-{uuid}-{n}`. */
  readonly tapName: string;
  /** A record JSON.stringify cannot write: it is left out of its file. */
  readonly onUnserializable: (stream: string, error: unknown) => void;
}

interface OpenFile {
  readonly stream: string;
  readonly path: string;
  readonly sink: WriteStream;
  /** What records are written to: the gzip stream in front of `sink`, or `sink`. */
  readonly head: Writable;
  /** Settles once every byte is in the file and the file is closed. */
  readonly done: Promise<unknown>;
  readonly version: number | undefined;
  count: number;
  /** Set while `head` is over its high-water mark. */
  stopWaiting: (() => void) | undefined;
}

/**
 * The Meltano SDK's BATCH output on local disk: each output stream's records go to JSON Lines files
 * (one bare record per line, gzip-compressed unless `compression` is "none") of at most `batchSize`
 * records, named `{prefix}tap-sigma--{stream}-{uuid}-{n}.json.gz`; a BATCH message names each file
 * once it is complete and closed.
 * Contract: RECORD batches become files; a STATE is emitted only after every file holding records
 *   before it is complete (open files are completed first, so no STATE covers an unfinished file), an
 *   ACTIVATE_VERSION only after its stream's files; other messages pass as they are. Files of a run that
 *   fails or is unsubscribed before they are complete are deleted.
 * Backpressure: `gate` closes while a file's buffer is over its high-water mark or files are being
 *   completed; joined with the consumer's gate it holds the sync's requests, as stdout's does.
 * @example new BatchFiles({ settings, tapName: 'tap-sigma', onUnserializable }).write(items$)
 *   // … {"type":"BATCH","stream":"members","encoding":{"format":"jsonl","compression":"gzip"},"manifest":["file:///…/tap-sigma--members-…-1.json.gz"]}
 */
export class BatchFiles {
  private readonly switch = new SwitchGate(true);
  private readonly files = new Map<string, OpenFile>();
  private readonly runs = new Map<string, { readonly id: string; files: number }>();
  private waitingDrains = 0;
  private finishing = 0;
  private failure: { readonly error: unknown } | undefined;
  private folderReady = false;

  constructor(private readonly options: BatchFilesOptions) {}

  /** Open while the files take more records without buffering beyond their high-water marks. */
  get gate(): DemandGate {
    return this.switch;
  }

  /** The Singer output with RECORD batches written to files and BATCH messages in their place. */
  write(items$: Observable<OutputItem>): Observable<OutputItem> {
    const emitted = (work: Promise<OutputItem[]>): Observable<OutputItem> => from(work).pipe(mergeAll());
    return concat(
      items$.pipe(concatMap((item) => emitted(this.handle(item)))),
      defer(() => emitted(this.finishAll())),
    ).pipe(finalize(() => this.discard()));
  }

  private async handle(item: OutputItem): Promise<OutputItem[]> {
    this.throwIfFailed();
    if (item.kind === 'records') return this.append(item.batch);
    const { message } = item;
    if (message.type === 'STATE') return [...(await this.finishAll()), item];
    if (message.type === 'ACTIVATE_VERSION') {
      const file = this.files.get(message.stream);
      return file ? [await this.finish(file), item] : [item];
    }
    return [item];
  }

  private async append(batch: RecordBatch): Promise<OutputItem[]> {
    const { batchSize } = this.options.settings;
    const completed: OutputItem[] = [];
    let start = 0;
    while (start < batch.records.length) {
      const file = this.files.get(batch.stream) ?? this.open(batch.stream, batch.version);
      const end = Math.min(batch.records.length, start + batchSize - file.count);
      const records = start === 0 && end === batch.records.length ? batch.records : batch.records.slice(start, end);
      const text = serializeRecordLines({ records, exactNumbers: batch.exactNumbers }, '', '\n', (_record, error) => this.options.onUnserializable(batch.stream, error));
      file.count += records.length;
      start = end;
      if (text !== '' && !file.head.write(text)) this.waitForDrain(file);
      if (file.count >= batchSize) completed.push(await this.finish(file));
    }
    return completed;
  }

  private open(stream: string, version: number | undefined): OpenFile {
    const { settings, tapName } = this.options;
    if (!this.folderReady) {
      try {
        mkdirSync(settings.folder, { recursive: true });
      } catch (error) {
        throw fileError(`cannot create the folder ${settings.folder}`, error);
      }
      this.folderReady = true;
    }
    const run = this.runs.get(stream) ?? { id: `${tapName}--${safeName(stream)}-${randomUUID()}`, files: 0 };
    this.runs.set(stream, run);
    run.files += 1;
    const path = join(settings.folder, `${settings.prefix}${run.id}-${run.files}.json${settings.encoding.compression === 'gzip' ? '.gz' : ''}`);
    const sink = createWriteStream(path, { flags: 'wx' });
    const gzip = settings.encoding.compression === 'gzip' ? createGzip() : undefined;
    const done = Promise.all([gzip ? pipeline(gzip, sink) : finished(sink), once(sink, 'close')]);
    done.catch((error: unknown) => {
      this.failure ??= { error: fileError(`cannot write ${path}`, error) };
      this.updateGate();
    });
    const file: OpenFile = { stream, path, sink, head: gzip ?? sink, done, version, count: 0, stopWaiting: undefined };
    this.files.set(stream, file);
    return file;
  }

  private waitForDrain(file: OpenFile): void {
    if (file.stopWaiting) return;
    const drained = (): void => {
      file.stopWaiting = undefined;
      this.waitingDrains -= 1;
      this.updateGate();
    };
    file.head.once('drain', drained);
    file.stopWaiting = () => {
      file.head.off('drain', drained);
      drained();
    };
    this.waitingDrains += 1;
    this.updateGate();
  }

  /** Ends the file, waits until it is closed, and gives its BATCH message. */
  private async finish(file: OpenFile): Promise<OutputItem> {
    file.stopWaiting?.();
    this.finishing += 1;
    this.updateGate();
    try {
      file.head.end();
      await file.done;
    } catch {
      // open() recorded the failure; the file stays listed, so that discard() deletes it.
    } finally {
      this.finishing -= 1;
      this.updateGate();
    }
    this.throwIfFailed();
    this.files.delete(file.stream);
    const message: BatchMessage = {
      type: 'BATCH',
      stream: file.stream,
      encoding: this.options.settings.encoding,
      manifest: [pathToFileURL(file.path).href],
      ...(file.version === undefined ? {} : { version: file.version }),
    };
    return { kind: 'message', message };
  }

  /** Completes every open file, in the order they were opened. */
  private async finishAll(): Promise<OutputItem[]> {
    const files = [...this.files.values()];
    const completed: OutputItem[] = [];
    for (const file of files) completed.push(await this.finish(file));
    return completed;
  }

  /** Deletes the files no BATCH message names (the run failed or was unsubscribed before they were complete). */
  private discard(): void {
    for (const file of this.files.values()) {
      file.stopWaiting?.();
      file.head.destroy();
      file.sink.destroy();
      rmSync(file.path, { force: true });
      // A file still being opened appears only now.
      file.sink.once('close', () => rmSync(file.path, { force: true }));
    }
    this.files.clear();
  }

  private updateGate(): void {
    // A failed file opens the gate: the next item then ends the run with the failure.
    this.switch.set(this.failure !== undefined || (this.waitingDrains === 0 && this.finishing === 0));
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

/** A stream name as part of a file name: aliases may hold any character. */
function safeName(stream: string): string {
  return stream.replace(/[^A-Za-z0-9._-]/g, '_');
}

function fileError(what: string, error: unknown): TapSigmaError {
  const detail = error instanceof Error ? error.message : String(error);
  return new TapSigmaError(`batch_config: ${what}: ${detail}`, 'TAP_SIGMA_BATCH_FILE');
}
