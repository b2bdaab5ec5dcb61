// An esbuild plugin that patches imapflow at build time (the package itself is untouched), two hot
// paths of a bulk FETCH or MULTIAPPEND. Each changes nothing of what imapflow returns, and fails the
// build when imapflow's code no longer has the expected shape (an upgrade): look at the new
// version, then adjust or drop the patch. Both are offered upstream.
// 1. imap-flow.js: with `logger: false` (how Ferry opens every IMAP connection) imapflow still
//    compiles every command and every server response a second time into log text that nobody
//    reads; on a bulk FETCH or MULTIAPPEND that is about half of the process's CPU. The patch skips
//    that compilation when the logger is off. ("skip the logging compiler when logger is false")
// 2. tools.js formatMessageResponse: every field name of every FETCH response (UID, FLAGS,
//    RFC822.SIZE, INTERNALDATE, BODY[] ...) is sent through the async command compiler to get its
//    text back, a dozen awaited calls per message. A plain atom (no section, no partial, only
//    letters, digits, '.' and '-') compiles to itself: the patch takes its value directly, and
//    `BODY[]` likewise; any other key still goes through the compiler. ("FETCH keys without the
//    compiler")
// 3. imap-compiler.js + imap-flow.js write(): a command with literals was joined into one Buffer per
//    part (Buffer.concat), and write() copied the last part once more to add the CRLF: a MULTIAPPEND
//    of 8 MB was copied twice before it reached the socket. The patch keeps a part of 64 KB or more
//    as its list of Buffers (the literals themselves, not copies) and write() sends the list corked,
//    CRLF last. Smaller parts are joined as before; with raw logging on, a list is joined first.
//    ("send large literals without copying them")
// 4. imap-flow.js send(): the compiler can write non-synchronising literals of any size when the
//    server has LITERAL+ (RFC 7888), but send() only told it about LITERAL-, so every literal above
//    4 KB waited a round trip for the server's "+" (each message of 3 MB in an APPEND). The patch
//    passes LITERAL+ on. ("use LITERAL+ for literals of any size")
// 5. logger.js: pino is required when imapflow's default logger is first made, not when imapflow
//    loads. With `logger: false` it never is, so a pass no longer evaluates pino, sonic-boom and
//    thread-stream nor loads the builtins they take (assert, worker_threads). ("load pino on
//    first use")
// 6. imap-flow.js, proxy-connection.js: node:tls, node:zlib and node:dns are required on first use
//    (a TLS connection, COMPRESS=DEFLATE, a proxy), not when imapflow loads: loading them costs a
//    pass about 10 ms of CPU that a plain connection without compression never needs. ("load tls,
//    zlib and dns on first use")
// 7. commands/authenticate.js authPlain: with SASL-IR announced (RFC 4959) the credentials go on the
//    AUTHENTICATE line as its initial response, instead of waiting a round trip for the server's
//    "+" (as imapflow already does for OAUTHBEARER and XOAUTH2). ("SASL-IR for AUTH=PLAIN")
// 8. commands/list.js: LIST sorts its folders with String.prototype.localeCompare, which loads ICU's
//    collation (about 3 MB of a pass's resident memory, issue 17) for an order nobody relies on
//    (Ferry orders folders itself). The patch compares by code unit. ("sort folders without ICU")
import fs from 'node:fs';

const patches = [
  {
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]commands[\\/]list\.js$/,
    find: /([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\.localeCompare\(/g,
    expected: 3,
    replace: (_, left) => `ferryOrdinal(${left}, `,
    append: `
function ferryOrdinal(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
`,
  },
  {
    // The ES module build (what `import` resolves to) and the CommonJS one.
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]imap-flow\.js$/,
    find: /let logCompiled = await (\(0, imap_handler_js_1\.compiler\)|compiler)\(/g,
    expected: 2,
    replace: (_, call) => `let logCompiled = this.options.logger === false ? '' : await ${call}(`,
  },
  {
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]imap-flow\.js$/,
    find: /let addLineBreak = !this\.commandParts\.length;/g,
    expected: 1,
    replace: () => `let addLineBreak = !this.commandParts.length;
        if (Array.isArray(chunk)) {
            if (!this.logRaw) return ferryWriteList(this, chunk, addLineBreak);
            chunk = Buffer.concat(chunk);
        }`,
    append: `
function ferryWriteList(connection, list, addLineBreak) {
    const socket = connection.writeSocket;
    socket.cork();
    for (const buffer of list) {
        connection.writeBytesCounter += buffer.length;
        socket.write(buffer);
    }
    if (addLineBreak) {
        connection.writeBytesCounter += 2;
        socket.write(Buffer.from('\\r\\n'));
    }
    socket.uncork();
}
`,
  },
  {
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]imap-flow\.js$/,
    find: /(\n\s*)literalMinus: ((?:\(0, tools_js_1\.hasCapability\)|hasCapability)\(this, 'LITERAL-'\) \|\| this\.capabilities\.has\('LITERAL\+'\))/g,
    expected: 1,
    replace: (_, indent, minus) => `${indent}literalPlus: this.capabilities.has('LITERAL+'),${indent}literalMinus: ${minus}`,
  },
  {
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]handler[\\/]imap-compiler\.js$/,
    find: /const compiled = respParts\.map\(part => Buffer\.concat\(part\)\);/g,
    expected: 1,
    replace: () => 'const compiled = respParts.map(part => (asArray ? ferryJoinSmall(part) : Buffer.concat(part)));',
    append: `
function ferryJoinSmall(part) {
    let size = 0;
    for (const buffer of part) size += buffer.length;
    return size < 65536 ? Buffer.concat(part, size) : part;
}
`,
  },
  {
    // The CommonJS build only (what the library bundle requires): an ES module cannot import lazily.
    file: /[\\/]imapflow[\\/]dist[\\/]cjs[\\/]logger\.js$/,
    find: /const pino_1 = __importDefault\(require\("pino"\)\);/g,
    expected: 1,
    replace: () => 'const pino_1 = { get default() { return __importDefault(require("pino")).default; } };',
  },
  {
    file: /[\\/]imapflow[\\/]dist[\\/]cjs[\\/]imap-flow\.js$/,
    find: /const (node_(tls|zlib)_1) = __importDefault\(require\("node:(tls|zlib)"\)\);/g,
    expected: 2,
    replace: (_, name, builtin) => `const ${name} = { get default() { return require("node:${builtin}"); } };`,
  },
  {
    file: /[\\/]imapflow[\\/]dist[\\/]cjs[\\/]proxy-connection\.js$/,
    find: /const (node_(dns|tls)_1) = __importDefault\(require\("node:(dns|tls)"\)\);/g,
    expected: 2,
    replace: (_, name, builtin) => `const ${name} = { get default() { return require("node:${builtin}"); } };`,
  },
  {
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]commands[\\/]authenticate\.js$/,
    find: /let response = await connection\.exec\('AUTHENTICATE', \[\{ type: 'ATOM', value: 'PLAIN' \}\], \{/g,
    expected: 1,
    replace: () =>
      "let response = await connection.exec('AUTHENTICATE', [{ type: 'ATOM', value: 'PLAIN' }, ...(connection.capabilities.has('SASL-IR') ? [{ type: 'ATOM', value: Buffer.from([authzid || '', username, password].join('\\x00')).toString('base64'), sensitive: true }] : [])], {",
  },
  {
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]tools\.js$/,
    find: /key = \(await (\(0, imap_handler_js_1\.compiler\)|compiler)\(\{/g,
    expected: 1,
    replace: (_, call) => `key = plainFetchKey(attribute) ?? (await ${call}({`,
    // Appended to the module: the key as the compiler would write it, lower-cased, or undefined.
    append: `
function plainFetchKey(attribute) {
    if (!attribute || attribute.type !== 'ATOM' || attribute.partial || typeof attribute.value !== 'string' || !/^[A-Za-z0-9.-]+$/.test(attribute.value)) return undefined;
    if (!attribute.section) return attribute.value.toLowerCase();
    return Array.isArray(attribute.section) && attribute.section.length === 0 ? attribute.value.toLowerCase() + '[]' : undefined;
}
`,
  },
];

/** The patched text of one imapflow module (every patch of its file), or an error text when its code changed shape. */
export function patchImapflowSource(filePath, source) {
  let contents = source;
  for (const patch of patches.filter((p) => p.file.test(filePath))) {
    const found = contents.match(patch.find)?.length ?? 0;
    if (found !== patch.expected) return { error: `imapflow-quiet: expected ${patch.expected} match(es) of ${patch.find} in ${filePath}, found ${found} (imapflow changed: review scripts/imapflow-quiet-patch.mjs)` };
    contents = contents.replace(patch.find, patch.replace) + (patch.append ?? '');
  }
  return { contents };
}

export const imapflowQuietPatch = {
  name: 'imapflow-quiet',
  setup(build) {
    // One loader per file: patchImapflowSource applies every patch of it.
    for (const file of new Map(patches.map((p) => [p.file.source, p.file])).values()) {
      build.onLoad({ filter: file }, async (args) => {
        const patched = patchImapflowSource(args.path, await fs.promises.readFile(args.path, 'utf8'));
        return patched.error ? { errors: [{ text: patched.error }] } : { contents: patched.contents, loader: 'js' };
      });
    }
  },
};
