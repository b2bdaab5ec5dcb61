import * as assert from 'node:assert/strict';
import { ServiceError } from 'ews-javascript-api';
import { FIX_VARIABLES, describeMarkdown, formatMessage, getEntry, resolveFixes } from '../../../src/errors/catalog';
import { EWS_DISPOSITIONS, ewsCodeFor, ewsDispositions, ewsEntries } from '../../../src/errors/ewsCatalog';
import type { CatalogEntry, FixAction } from '../../../src/errors/types';

type PowerShell = Extract<FixAction, { kind: 'adminCommand' }>;

const powershellOf = (e: CatalogEntry): PowerShell[] => e.fixes.filter((f): f is PowerShell => f.kind === 'adminCommand' && f.shell === 'powershell');

/** What an operator meets, the code it must map to, and what the engine does with it. */
const MAPPINGS: readonly [string, string, string][] = [
  ['ErrorServerBusy', 'EWS-SERVER-BUSY', 'transient'],
  ['ErrorImpersonateUserDenied', 'EWS-IMPERSONATION-DENIED', 'mailbox'],
  ['ErrorImpersonationDenied', 'EWS-IMPERSONATION-DENIED', 'mailbox'],
  ['ErrorAccessDenied', 'EWS-ACCESS-DENIED', 'mailbox'],
  ['ErrorNonExistentMailbox', 'EWS-MAILBOX-NOT-FOUND', 'mailbox'],
  ['ErrorImpersonationFailed', 'EWS-MAILBOX-NOT-FOUND', 'mailbox'],
  ['ErrorQuotaExceeded', 'EWS-QUOTA-EXCEEDED', 'mailbox'],
  ['ErrorMessageSizeExceeded', 'EWS-ITEM-TOO-LARGE', 'item'],
  ['ErrorMailboxMoveInProgress', 'EWS-MOVE-IN-PROGRESS', 'transient'],
  ['ErrorItemNotFound', 'EWS-ITEM-NOT-FOUND', 'item'],
  ['ErrorFolderNotFound', 'EWS-FOLDER-NOT-FOUND', 'item'],
  ['ErrorInvalidSyncStateData', 'EWS-SYNC-STATE-INVALID', 'information'],
  ['HTTP-401', 'EWS-UNAUTHORIZED', 'mailbox'],
  ['HTTP-403', 'EWS-DISABLED', 'mailbox'],
  ['HTTP-503', 'EWS-UNAVAILABLE', 'transient'],
  ['ErrorInternalServerTransientError', 'EWS-UNAVAILABLE', 'transient'],
  ['ErrorTimeoutExpired', 'EWS-UNAVAILABLE', 'transient'],
  ['ErrorInvalidServerVersion', 'EWS-SCHEMA-VERSION', 'mailbox'],
  ['ErrorSchemaValidation', 'EWS-SCHEMA-VERSION', 'mailbox'],
  ['HTTP-404', 'EWS-AUTODISCOVER-FAILED', 'mailbox'],
  ['ErrorCorruptData', 'EWS-CORRUPT-ITEM', 'item'],
  ['ErrorInvalidRecipients', 'EWS-CORRUPT-ITEM', 'item'],
  ['ErrorCannotOpenFileAttachment', 'EWS-CORRUPT-ITEM', 'item'],
  ['ErrorMailboxStoreUnavailable', 'EWS-MAILBOX-STORE-UNAVAILABLE', 'transient'],
  ['ErrorInternalServerError', 'EWS-INTERNAL', 'item'],
  ['ErrorConnectionFailed', 'EWS-CONNECTION-LIMIT', 'transient'],
  ['ErrorExceededConnectionCount', 'EWS-CONNECTION-LIMIT', 'transient'],
  ['ErrorTooManyObjectsOpened', 'EWS-CONNECTION-LIMIT', 'transient'],
  ['ErrorFolderExists', 'EWS-FOLDER-EXISTS', 'information'],
  ['ErrorCrossSiteRequest', 'EWS-WRONG-SERVER', 'mailbox'],
  ['ErrorNameResolutionNoResults', 'EWS-DISCOVERY-FAILED', 'mailbox'],
  ['ECONNREFUSED', 'EWS-UNAVAILABLE', 'transient'],
  ['ECONNRESET', 'EWS-UNAVAILABLE', 'transient'],
  ['ETIMEDOUT', 'EWS-UNAVAILABLE', 'transient'],
  ['ENOTFOUND', 'EWS-AUTODISCOVER-FAILED', 'mailbox'],
  ['CERT_HAS_EXPIRED', 'EWS-TLS', 'mailbox'],
  ['DEPTH_ZERO_SELF_SIGNED_CERT', 'EWS-TLS', 'mailbox'],
  ['ERR_TLS_CERT_ALTNAME_INVALID', 'EWS-TLS', 'mailbox'],
];

/** The admin commands an entry must offer: a cmdlet line, with the placeholders it promises. */
const COMMANDS: readonly [string, RegExp][] = [
  ['EWS-SERVER-BUSY', /^New-ThrottlingPolicy -Name "FerryMigration" -EwsMaxConcurrency Unlimited .*-EwsRechargeRate Unlimited .*\nSet-ThrottlingPolicyAssociation -Identity "<account>" -ThrottlingPolicy "FerryMigration"$/],
  ['EWS-THROTTLING-POLICY', /^New-ThrottlingPolicy -Name "FerryMigration" -EwsMaxConcurrency Unlimited -EwsMaxBurst Unlimited -EwsRechargeRate Unlimited -EwsCutoffBalance Unlimited/],
  ['EWS-THROTTLING-POLICY', /^Set-ThrottlingPolicy -Identity "FerryMigration" -EWSMaxConcurrency \$null -EWSPercentTimeInAD \$null -EWSPercentTimeInCAS \$null -EWSPercentTimeInMailboxRPC \$null/m],
  ['EWS-THROTTLING-POLICY', /^Set-ThrottlingPolicyAssociation -Identity "<account>" -ThrottlingPolicy \$null\nRemove-ThrottlingPolicy -Identity "FerryMigration"$/],
  ['EWS-IMPERSONATION-DENIED', /^New-ManagementRoleAssignment -Name "Ferry impersonation" -Role ApplicationImpersonation -User "<account>"$/],
  ['EWS-IMPERSONATION-DENIED', /-User "<account>" -ExtendedRights ms-Exch-EPI-Impersonation\}/],
  ['EWS-ACCESS-DENIED', /^Add-MailboxPermission -Identity "\{userPrincipalName\}" -User "<account>" -AccessRights FullAccess -InheritanceType All -AutoMapping \$false$/],
  ['EWS-ACCESS-DENIED', /^Get-Mailbox -ResultSize Unlimited \| Add-MailboxPermission -User "<account>" -AccessRights FullAccess/],
  ['EWS-QUOTA-EXCEEDED', /^Set-Mailbox -Identity "\{targetUserPrincipalName\}" .*-ProhibitSendReceiveQuota \d+GB$/],
  ['EWS-ITEM-TOO-LARGE', /^Set-Mailbox -Identity "\{targetUserPrincipalName\}" -MaxReceiveSize \d+MB/],
  ['EWS-ITEM-TOO-LARGE', /^Set-TransportConfig -MaxReceiveSize \d+MB/],
  ['EWS-MOVE-IN-PROGRESS', /^Get-MoveRequest -Identity "\{userPrincipalName\}" \| Get-MoveRequestStatistics$/],
  ['EWS-DISABLED', /^Set-CASMailbox -Identity "<account>" -EwsEnabled \$true$/],
  ['EWS-DISCOVERY-FAILED', /^Set-Mailbox -Identity "<account>" -HiddenFromAddressListsEnabled \$false$/],
];

/** The arguments the connector passes for an EWS answer: mailbox, what, code and text, host. */
const ARGS = ['ann@contoso.example', 'read an item', 'ErrorServerBusy: The server cannot service this request right now. Try again later.', 'mail.contoso.example'];

describe('error catalog: Exchange (EWS) codes', () => {
  it('registers every EWS entry in the catalog, with a disposition, category connector and source ferry', () => {
    assert.ok(ewsEntries.length >= 20);
    assert.deepEqual(ewsEntries.map((e) => e.code).sort(), Object.keys(EWS_DISPOSITIONS).sort());
    assert.equal(ewsDispositions, EWS_DISPOSITIONS);
    for (const e of ewsEntries) {
      assert.equal(getEntry(e.code), e, e.code);
      assert.match(e.code, /^EWS-[A-Z-]+$/);
      assert.equal(e.category, 'connector');
      assert.equal(e.source, 'ferry');
      assert.equal(e.section, 'Ferry connectors: Exchange (EWS)');
      const retryable = EWS_DISPOSITIONS[e.code] === 'transient' || ['EWS-INTERNAL', 'EWS-ITEM-NOT-FOUND', 'EWS-FOLDER-NOT-FOUND'].includes(e.code);
      assert.equal(e.retryable, retryable, `${e.code} retryable`);
      if (EWS_DISPOSITIONS[e.code] === 'information') assert.equal(e.severity, 'information', e.code);
      else assert.equal(e.severity, 'error', e.code);
    }
  });

  it('maps every alias to its entry, through ewsCodeFor and the catalog', () => {
    for (const e of ewsEntries) {
      assert.equal(ewsCodeFor(e.code), e.code);
      for (const alias of e.aliases ?? []) {
        assert.equal(ewsCodeFor(alias), e.code, alias);
        assert.equal(getEntry(alias), e, alias);
      }
    }
  });

  it('uses real EWS ResponseCodes and HTTP statuses as aliases', () => {
    for (const e of ewsEntries) {
      for (const alias of e.aliases ?? []) {
        if (alias.startsWith('HTTP-')) assert.match(alias, /^HTTP-[45]\d\d$/);
        else assert.equal(typeof (ServiceError as unknown as Record<string, unknown>)[alias], 'number', `${alias} is not an EWS ResponseCode`);
      }
    }
  });

  for (const [answer, code, disposition] of MAPPINGS) {
    it(`${answer} is ${code} (${disposition})`, () => {
      assert.equal(ewsCodeFor(answer), code);
      assert.equal(EWS_DISPOSITIONS[code], disposition);
    });
  }

  it('reads HTTP statuses in any spelling', () => {
    for (const spelling of ['HTTP-401', '401', 'HTTP 401', 'http-401', ' HTTP-401 ']) assert.equal(ewsCodeFor(spelling), 'EWS-UNAUTHORIZED', spelling);
  });

  it('maps anything unknown to EWS-INTERNAL, case-sensitively', () => {
    for (const unknown of ['ErrorSomethingNewInExchange2030', 'errorserverbusy', 'NoError', '', 'HTTP-500', 'HTTP-418', 'EWS-NO-SUCH-CODE', 'IMAP-AUTH']) {
      assert.equal(ewsCodeFor(unknown), 'EWS-INTERNAL', JSON.stringify(unknown));
    }
  });

  it('gives every entry an action and at least one fix besides retrying', () => {
    for (const e of ewsEntries) {
      assert.ok(e.action.trim().length > 0, `${e.code}: no action`);
      if (EWS_DISPOSITIONS[e.code] === 'mailbox') assert.doesNotMatch(e.action, /^Nothing/, `${e.code}: a failed mailbox needs a next step`);
      assert.ok(e.fixes.length > 0, `${e.code}: no fix`);
      assert.ok(e.fixes.some((f) => f.kind !== 'command' || f.command !== 'ferry.retryErrors'), `${e.code}: only a retry`);
    }
  });

  for (const [code, command] of COMMANDS) {
    it(`${code} offers ${command.source.slice(1, 40).replace(/\\/g, '')}...`, () => {
      const templates = powershellOf(getEntry(code)!).map((f) => f.template);
      assert.ok(templates.some((t) => command.test(t)), `${code}: no command matches ${command}\n${templates.join('\n---\n')}`);
    });
  }

  it('names mailboxes and the migration account in admin commands only through placeholders', () => {
    const allowed = new Set(['{userPrincipalName}', '{targetUserPrincipalName}', '<account>', 'FerryMigration', 'Ferry impersonation']);
    for (const e of ewsEntries) {
      for (const { template } of powershellOf(e)) {
        for (const [, value] of template.matchAll(/-(?:Identity|User|Mailbox|Name) "([^"]*)"/g)) assert.ok(allowed.has(value), `${e.code}: "${value}" in ${template}`);
        for (const [, name] of template.matchAll(/\{([A-Za-z0-9_.]+)\}/g)) assert.ok(name in FIX_VARIABLES, `${e.code}: {${name}}`);
      }
    }
  });

  it('fills the admin commands from the plan, leaving only the account to the operator', () => {
    const vars = { userPrincipalName: 'ann@contoso.example', targetUserPrincipalName: 'ann@fabrikam.example' };
    const [fullAccess] = resolveFixes('EWS-ACCESS-DENIED', vars).filter((f) => f.kind === 'adminCommand');
    assert.ok(fullAccess?.kind === 'adminCommand');
    assert.equal(fullAccess.template, 'Add-MailboxPermission -Identity "ann@contoso.example" -User "<account>" -AccessRights FullAccess -InheritanceType All -AutoMapping $false');
    for (const e of ewsEntries) {
      for (const fix of resolveFixes(e.code, vars)) {
        if (fix.kind !== 'adminCommand') continue;
        assert.doesNotMatch(fix.template, /\{[A-Za-z0-9_.]+\}|<(?:userPrincipalName|targetUserPrincipalName)>/, `${e.code}: ${fix.template}`);
      }
    }
    const quota = resolveFixes('EWS-QUOTA-EXCEEDED', vars).find((f) => f.kind === 'adminCommand');
    assert.ok(quota?.kind === 'adminCommand');
    assert.match(quota.template, /^Set-Mailbox -Identity "ann@fabrikam\.example" /);
  });

  it('words messages with the arguments the connector passes, the raw code included', () => {
    assert.equal(
      formatMessage('EWS-SERVER-BUSY', ARGS),
      'Exchange at mail.contoso.example is throttling the requests for ann@contoso.example; could not read an item: ErrorServerBusy: The server cannot service this request right now. Try again later.',
    );
    assert.equal(
      formatMessage('EWS-INTERNAL', ['ann@contoso.example', 'read an item', 'ErrorWeird: something', 'mail.contoso.example']),
      'Exchange at mail.contoso.example failed to read an item for ann@contoso.example: ErrorWeird: something',
    );
    for (const e of ewsEntries) {
      const used = [...e.message.matchAll(/\{(\d+)\}/g)].map(([, n]) => Number(n));
      assert.ok(used.every((n) => n <= 3), `${e.code}: ${e.message}`);
      if (EWS_DISPOSITIONS[e.code] !== 'information') {
        assert.ok(used.includes(0) && used.includes(2), `${e.code} must name the mailbox {0} and the answer {2}: ${e.message}`);
        assert.doesNotMatch(formatMessage(e.code, ARGS), /\{\d\}/, e.code);
      }
    }
  });

  it('explains an EWS code with its section and its PowerShell', () => {
    const md = describeMarkdown('ErrorImpersonateUserDenied');
    assert.match(md, /^\*\*EWS-IMPERSONATION-DENIED: Migration account may not impersonate the mailbox\*\* \(error\)/);
    assert.match(md, /```powershell\n\s+New-ManagementRoleAssignment -Name "Ferry impersonation" -Role ApplicationImpersonation -User "<account>"/);
    assert.match(md, /section "Ferry connectors: Exchange \(EWS\)"/);
  });
});
