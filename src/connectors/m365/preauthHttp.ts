// Answers of Microsoft's pre-authenticated URLs (an import session's importUrl, an attachment
// upload session's uploadUrl): requests sent with fetch and no Authorization header, their
// refusals shaped as toGraphError reads Graph's (statusCode, code, headers.get).

export class PreauthHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string | null,
    message: string,
    readonly headers: Headers,
  ) {
    super(message);
  }
}

/** The error of a refused answer, from Graph's error envelope when it has one. */
export function preauthError(res: Response, text: string): PreauthHttpError {
  let parsed: { error?: { code?: string; message?: string } } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // not JSON: the text is the message
  }
  return new PreauthHttpError(res.status, parsed.error?.code ?? null, parsed.error?.message ?? text.slice(0, 200), res.headers);
}
