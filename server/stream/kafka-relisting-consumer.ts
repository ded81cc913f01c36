import {
  type Callback,
  type CallbackWithPromise,
  Consumer,
  GenericError,
  kPerformWithRetry,
  type ListOffsetsOptions,
  MultipleErrors,
  type Offsets,
} from "@platformatic/kafka";

/** How long before a listing refused for stale metadata is asked again, from metadata read anew. */
const relistDelayMs = 1000;

/** The client's own mark for an error that says its metadata (leader, leader epoch) is out of date. */
function staleMetadata(error: Error): boolean {
  if (error instanceof MultipleErrors) return error.findBy("hasStaleMetadata", true) !== null;
  return error instanceof GenericError && error.findBy("hasStaleMetadata", true) !== null;
}

/**
 * A consumer whose offset listings survive a broker restart.
 *
 * @platformatic/kafka 1.35 builds a ListOffsets request once, from the metadata it holds (each
 * partition's leader and leader epoch), and its retry loop sends that same request again and again. A
 * listing begun just before the broker went down carries the leader epoch from before the restart,
 * which the restarted broker refuses (FENCED_LEADER_EPOCH) on every attempt: the listing never ends.
 * The stream's offset refresh after a group join is such a listing, and the stream fetches nothing
 * until it ends — the chaos test's stall (2 of 23 runs: a join just as the broker was killed, then
 * 99 and 141 refused attempts, one a second, while the partitions filled up). Here an attempt refused
 * for stale metadata (the client's `hasStaleMetadata`: FENCED_LEADER_EPOCH, NOT_LEADER_OR_FOLLOWER,
 * LEADER_NOT_AVAILABLE, UNKNOWN_TOPIC_OR_PARTITION) ends the client's loop, which drops its cached
 * metadata, and the listing starts again a second later from metadata read anew (new epochs, and the
 * new leader if one moved). Other failures are retried by the client as before. Remove once the client
 * rebuilds a retried request.
 */
export class RelistingConsumer<Key, Value, HeaderKey, HeaderValue> extends Consumer<
  Key,
  Value,
  HeaderKey,
  HeaderValue
> {
  override [kPerformWithRetry]<ReturnType>(
    operationId: string,
    operation: (callback: Callback<ReturnType>) => void,
    callback: CallbackWithPromise<ReturnType>,
    attempt?: number,
    errors?: Error[],
    shouldSkipRetry?: (e: Error) => boolean,
  ): Promise<ReturnType> | undefined {
    const skip = shouldSkipRetry ?? (operationId === "listOffsets" ? staleMetadata : undefined);
    const result = super[kPerformWithRetry](operationId, operation, callback, attempt, errors, skip);
    return result instanceof Promise ? result : undefined;
  }

  override listOffsets(options: ListOffsetsOptions, callback: CallbackWithPromise<Offsets>): void;
  override listOffsets(options: ListOffsetsOptions): Promise<Offsets>;
  override listOffsets(
    options: ListOffsetsOptions,
    callback?: CallbackWithPromise<Offsets>,
  ): Promise<Offsets> | undefined {
    const relist = (done: Callback<Offsets>) => {
      super.listOffsets(options, (error, offsets) => {
        if (error && staleMetadata(error) && !this.closed) {
          setTimeout(() => relist(done), relistDelayMs);
          return;
        }
        done(error, offsets);
      });
    };
    if (callback) {
      relist(callback);
      return;
    }
    return new Promise<Offsets>((resolve, reject) =>
      relist((error, offsets) => (error ? reject(error) : resolve(offsets!))),
    );
  }
}
