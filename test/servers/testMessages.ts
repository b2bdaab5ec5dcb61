// Raw RFC 822 messages for tests: the shapes a migration must carry unchanged, from a plain note to
// a deliberately malformed message (missing headers, a broken MIME boundary, bare LF line endings).

export interface TestMessage {
  /** What the message is, for test titles. */
  kind: string;
  raw: Buffer;
  flags: string[];
  /** Whole seconds: IMAP INTERNALDATE has no milliseconds. */
  date: Date;
  messageId?: string;
}

const crlf = (lines: string[]) => lines.join('\r\n') + '\r\n';

/** A small plain-text message; `n` makes subject, Message-ID and date unique. */
export function plainMessage(n: number, options: { messageId?: string | null; body?: string; date?: Date } = {}): TestMessage {
  const messageId = options.messageId === null ? undefined : (options.messageId ?? `<plain-${n}@ferry.test>`);
  const date = options.date ?? new Date(Date.UTC(2024, 0, 1, 8, 0, 0) + n * 60_000);
  const raw = crlf([
    'From: Ann Sender <ann@source.example>',
    'To: Bob Receiver <bob@source.example>',
    `Subject: Plain message ${n}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    ...(messageId ? [`Message-ID: ${messageId}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    options.body ?? `Hello, this is message number ${n}.`,
  ]);
  return { kind: 'plain', raw: Buffer.from(raw, 'latin1'), flags: [], date, ...(messageId ? { messageId } : {}) };
}

function multipartWithAttachment(): TestMessage {
  const attachment = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256)).toString('base64').replace(/.{76}/g, '$&\r\n');
  const raw = crlf([
    'From: Carol <carol@source.example>',
    'To: Bob <bob@source.example>',
    'Subject: Report with attachment',
    'Date: Tue, 05 Mar 2024 10:15:00 +0100',
    'Message-ID: <multipart-1@ferry.test>',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="==b1=="',
    '',
    'This is a multi-part message in MIME format.',
    '--==b1==',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 7bit',
    '',
    'See the attached file.',
    '--==b1==',
    'Content-Type: application/octet-stream; name="data.bin"',
    'Content-Disposition: attachment; filename="data.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    attachment.trimEnd(),
    '--==b1==--',
  ]);
  return { kind: 'multipart with attachment', raw: Buffer.from(raw, 'latin1'), flags: ['\\Seen', '$Forwarded'], date: new Date(Date.UTC(2024, 2, 5, 9, 15, 0)), messageId: '<multipart-1@ferry.test>' };
}

function nonAscii(): TestMessage {
  const raw = crlf([
    'From: =?UTF-8?Q?Andr=C3=A9_M=C3=BCller?= <andre@source.example>',
    'To: =?UTF-8?B?0JjQstCw0L0=?= <ivan@source.example>',
    'Subject: =?UTF-8?Q?R=C3=A9union_=C3=A9t=C3=A9_=E2=80=93_=D0=BF=D0=BB=D0=B0=D0=BD?=',
    'Date: Wed, 10 Jul 2024 14:00:00 +0200',
    'Message-ID: <non-ascii-1@ferry.test>',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'Bonjour, la r=C3=A9union d=E2=80=99=C3=A9t=C3=A9 est d=C3=A9plac=C3=A9e.',
  ]);
  return { kind: 'non-ASCII headers and body', raw: Buffer.from(raw, 'latin1'), flags: ['\\Seen', '\\Answered', '\\Flagged'], date: new Date(Date.UTC(2024, 6, 10, 12, 0, 0)), messageId: '<non-ascii-1@ferry.test>' };
}

function eightBit(): TestMessage {
  // Raw UTF-8 in a header (RFC 6532 style) and the body, then one Latin-1 byte: 8-bit all the way.
  const head = Buffer.from(crlf(['From: Zoë <zoe@source.example>', 'To: bob@source.example', 'Subject: 8-bit café ☕', 'Date: Fri, 01 Nov 2024 09:30:00 +0000', 'Message-ID: <eight-bit-1@ferry.test>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', 'Grüße aus Köln — 東京 too.']), 'utf8');
  const raw = Buffer.concat([head, Buffer.from([0x4c, 0x61, 0x74, 0x69, 0x6e, 0x31, 0x3a, 0x20, 0xe9, 0x0d, 0x0a])]);
  return { kind: '8-bit', raw, flags: ['\\Draft', 'Work', 'Project-X'], date: new Date(Date.UTC(2024, 10, 1, 9, 30, 0)), messageId: '<eight-bit-1@ferry.test>' };
}

/** Missing From/Date/Message-ID, a boundary that never closes, bare LF mixed with CRLF, trailing spaces. */
export function malformedMessage(): TestMessage {
  const raw = Buffer.from(
    'Subject: broken message   \n' +
      'Content-Type: multipart/mixed; boundary="never-closed"\r\n' +
      'X-Weird-Header:no space\n' +
      '\n' +
      '--never-closed\n' +
      'Content-Type: text/plain\r\n' +
      '\n' +
      'A line with a bare LF\nand one with CRLF\r\n' +
      '--not-the-boundary\n' +
      'no final newline',
    'latin1',
  );
  return { kind: 'malformed', raw, flags: ['\\Seen'], date: new Date(Date.UTC(2023, 11, 31, 23, 59, 59)) };
}

/** One of each shape. */
export function sampleMessages(): TestMessage[] {
  return [plainMessage(1), multipartWithAttachment(), nonAscii(), eightBit(), malformedMessage()];
}
