// Types for @ewsjs/ntlm-client (it ships none): builds and reads the three NTLM handshake messages.
declare module '@ewsjs/ntlm-client' {
  export interface Type2Message {
    challenge: Buffer;
    targetName: string;
    targetInfo: { buffer?: Buffer; parsed: Record<string, string> };
    negotiateFlags: number;
  }
  /** `NTLM <base64>` for the Authorization header. */
  export function createType1Message(workstation?: string, target?: string): string;
  /** Reads the server's challenge from a WWW-Authenticate header value. */
  export function decodeType2Message(header: string): Type2Message;
  /** `NTLM <base64>` answering the challenge (NTLMv2 when the server offers target info). */
  export function createType3Message(type2: Type2Message, username: string, password: string, workstation?: string, target?: string): string;
}
