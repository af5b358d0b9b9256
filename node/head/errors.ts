/**
 * Errors of the head node that callers catch: the REST layer turns
 * {@link InvalidRequestError} into 400, {@link InstallPublishError} into 500 and
 * {@link ShutdownError} into 503.
 *
 * @module
 */

/** A request field that fails validation; `field` is its dotted path, e.g. "config.timeout". */
export class InvalidRequestError extends Error {
  override name = "InvalidRequestError";
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** Publishing `MsgInstallFunction` failed. */
export class InstallPublishError extends Error {
  override name = "InstallPublishError";
  readonly topic: string;

  constructor(topic: string, options?: ErrorOptions) {
    super(`Cannot publish the install message on ${topic}`, options);
    this.topic = topic;
  }
}

/** The reason given to in-flight requests when the head shuts down. */
export class ShutdownError extends Error {
  override name = "ShutdownError";

  constructor() {
    super("the head node is shutting down");
  }
}
