// The tag of an image reference. Upstream took the text after the last ':' (so `registry:5000/img` had the tag
// `5000/img`); this reads the reference properly: a tag after the last path segment's ':', else the digest,
// else the implied `latest`.
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const colon = name.indexOf(':', name.lastIndexOf('/') + 1);
  if (colon >= 0) return name.slice(colon + 1);
  if (at >= 0) return image.slice(at + 1);
  return 'latest';
}
