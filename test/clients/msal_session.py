#!/usr/bin/python3
"""An outside identity client against the fake Microsoft 365: MSAL for Python (Debian's
python3-msal) signs an app in with a secret and with a certificate (acquire_token_for_client), and
a user with the device code flow (PublicClientApplication).

Run by test/integration/clients/outsideClients.test.ts against a fake it starts:
    /usr/bin/python3 msal_session.py AUTHORITY CLIENT_ID SECRET KEY_PEM CERT_SHA1 CA_PEM
AUTHORITY is https://127.0.0.1:PORT/TENANT_ID. Prints one JSON line per step on stdout; before the
device code poll, a line {"user_code": ...} that the test approves (what the user does in a browser).
Any failure is a traceback and exit status 1.
"""
import base64
import json
import sys

import msal

SCOPE = ['https://graph.microsoft.com/.default']


def claims(token):
    payload = token.split('.')[1]
    return json.loads(base64.urlsafe_b64decode(payload + '=' * (-len(payload) % 4)))


def report(step, result):
    if 'access_token' not in result:
        raise SystemExit(f'{step}: {json.dumps(result)}')
    token = claims(result['access_token'])
    print(json.dumps({'step': step, 'tokenType': result.get('token_type'), 'expiresIn': result.get('expires_in'),
                      'tid': token.get('tid'), 'appid': token.get('appid'), 'roles': token.get('roles'), 'upn': token.get('upn'),
                      'account': (result.get('id_token_claims') or {}).get('preferred_username')}), flush=True)


def main(authority, client_id, secret, key_path, thumbprint, ca_path):
    # The fake is not one of Microsoft's hosts: no instance discovery (it would ask login.microsoftonline.com).
    common = dict(authority=authority, verify=ca_path, instance_discovery=False)

    with_secret = msal.ConfidentialClientApplication(client_id, client_credential=secret, **common)
    report('secret', with_secret.acquire_token_for_client(scopes=SCOPE))

    with open(key_path) as f:
        key = f.read()
    with_cert = msal.ConfidentialClientApplication(client_id, client_credential={'private_key': key, 'thumbprint': thumbprint}, **common)
    report('certificate', with_cert.acquire_token_for_client(scopes=SCOPE))

    wrong = msal.ConfidentialClientApplication(client_id, client_credential='not-the-secret', **common).acquire_token_for_client(scopes=SCOPE)
    print(json.dumps({'step': 'wrongSecret', 'error': wrong.get('error'), 'codes': wrong.get('error_codes')}), flush=True)

    public = msal.PublicClientApplication(client_id, **common)
    flow = public.initiate_device_flow(scopes=['https://graph.microsoft.com/Mail.ReadWrite'])
    if 'user_code' not in flow:
        raise SystemExit(f'device flow: {json.dumps(flow)}')
    print(json.dumps({'user_code': flow['user_code']}), flush=True)
    report('deviceCode', public.acquire_token_by_device_flow(flow))
    accounts = public.get_accounts()
    silent = public.acquire_token_silent(['https://graph.microsoft.com/Mail.ReadWrite'], account=accounts[0], force_refresh=True) if accounts else None
    report('refresh', silent or {})


if __name__ == '__main__':
    if len(sys.argv) != 7:
        sys.exit(__doc__)
    main(*sys.argv[1:])
