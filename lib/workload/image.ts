import { Kind } from '../core/kinds';

/** Tags that move: an image reference with one of them is not reproducible. */
const FLOATING_TAGS = new Set(['latest', 'dev', 'develop', 'main', 'master', 'edge', 'nightly', 'stable', 'head']);
const REPOSITORY = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-]{1,2}[a-z0-9]+)*)*$/;
const REGISTRY = /^[a-zA-Z0-9.-]+(:[0-9]+)?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * A container image pinned to a version tag or a content digest.
 * Floating tags (`latest`, `dev`, `main`, ...) and references without a tag are rejected
 * when a construct receives the image, because they make rollouts and rollbacks unrepeatable.
 */
export class Image {
  /** `repository:tag`, e.g. `Image.pinned('ghcr.io/acme/api', '2.4.1')`. */
  public static pinned(repository: string, tag: string): Image {
    return new Image(`${repository}:${tag}`, repository, tag, undefined);
  }

  /** `repository@sha256:...`, the strongest pin: the bytes cannot change. */
  public static digest(repository: string, digest: string): Image {
    return new Image(`${repository}@${digest}`, repository, undefined, digest);
  }

  /** Parses a full reference (`registry/repo:tag`, `repo@sha256:...` or `repo:tag@sha256:...`). */
  public static fromReference(reference: string): Image {
    if (typeof reference !== 'string') {
      return new Image(reference, reference, undefined, undefined);
    }
    const [nameAndTag, digest] = reference.split('@', 2);
    const lastSlash = nameAndTag.lastIndexOf('/');
    const colon = nameAndTag.lastIndexOf(':');
    const hasTag = colon > lastSlash;
    const repository = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
    const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined;
    return new Image(reference, repository, tag, digest);
  }

  private constructor(
    /** The reference as the container spec receives it. */
    public readonly reference: string,
    /** The repository, with its registry when one was given. */
    public readonly repository: string,
    /** The tag, when the reference has one. */
    public readonly tag: string | undefined,
    /** The digest, when the reference has one. */
    public readonly digestValue: string | undefined,
  ) {}

  /** The version to report in `app.kubernetes.io/version`: the tag, else the short digest. */
  public get version(): string {
    return this.tag ?? (this.digestValue ?? '').replace('sha256:', '').slice(0, 12);
  }

  /** Why this reference cannot be deployed, or `undefined` when it can. */
  public problem(): string | undefined {
    if (![this.repository, this.tag ?? '', this.digestValue ?? ''].every((part) => typeof part === 'string')) {
      return 'must be made of strings: Image.pinned(repository, tag), Image.digest(repository, digest) or Image.fromReference(reference)';
    }
    const parts = this.repository.split('/');
    const registry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]) ? parts.shift() as string : undefined;
    if ((registry !== undefined && !REGISTRY.test(registry)) || !REPOSITORY.test(parts.join('/'))) {
      return 'must be a valid image reference: [registry/]repository[:tag][@sha256:digest] in lowercase';
    }
    if (this.digestValue !== undefined) {
      return DIGEST.test(this.digestValue) ? undefined : 'must have a digest of the form sha256:<64 hex characters>';
    }
    if (this.tag === undefined) {
      return 'must be pinned to a version tag or a sha256 digest, not left to the implicit latest';
    }
    if (!TAG.test(this.tag)) {
      return 'must have a tag of at most 128 letters, digits, \'_\', \'.\' and \'-\'';
    }
    if (FLOATING_TAGS.has(this.tag.toLowerCase())) {
      return `must be pinned to a version tag or a sha256 digest, not the floating tag '${this.tag}'`;
    }
    return undefined;
  }
}

/**
 * An {@link Image}, as a prop's kind.
 * @internal
 */
export const IMAGE_KIND = Kind.instance(Image, 'an Image (Image.pinned, Image.digest or Image.fromReference)');
