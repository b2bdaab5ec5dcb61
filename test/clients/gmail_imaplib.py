#!/usr/bin/python3
"""An outside IMAP client against the fake Gmail IMAP front: the Python standard library's imaplib
(and urllib for the token refresh), as a script of Google's XOAUTH2 documentation would use them.

Run by test/integration/clients/gmailImaplib.test.ts against fakes it starts:
    /usr/bin/python3 gmail_imaplib.py PORT TOKEN_URL CLIENT_ID CLIENT_SECRET REFRESH_TOKEN USER
Prints one JSON line per step on stdout; any failure is a traceback and exit status 1.
"""
import imaplib
import json
import re
import sys
import urllib.parse
import urllib.request

port, token_url, client_id, client_secret, refresh_token, user = sys.argv[1:7]


def say(step, **data):
    print(json.dumps({'step': step, **data}), flush=True)


form = urllib.parse.urlencode({'client_id': client_id, 'client_secret': client_secret, 'refresh_token': refresh_token, 'grant_type': 'refresh_token'}).encode()
with urllib.request.urlopen(urllib.request.Request(token_url, data=form, method='POST')) as answer:
    token = json.load(answer)
say('token', tokenType=token['token_type'], expiresIn=token['expires_in'], scope=token['scope'])


def xoauth2(access_token):
    # An error comes back as a challenge holding JSON: answer it with an empty response.
    return lambda challenge: b'' if challenge else f'user={user}\x01auth=Bearer {access_token}\x01\x01'.encode()


imap = imaplib.IMAP4('127.0.0.1', int(port))
say('capabilities', capabilities=sorted(imap.capabilities))

try:
    imap.login(user, 'a-password')
    say('login', accepted=True)
except imaplib.IMAP4.error as error:
    say('login', accepted=False, text=str(error))

try:
    imap.authenticate('XOAUTH2', xoauth2('ya29.not-a-token'))
    say('bad token', accepted=True)
except imaplib.IMAP4.error as error:
    say('bad token', accepted=False, text=str(error))

typ, data = imap.authenticate('XOAUTH2', xoauth2(token['access_token']))
say('authenticate', status=typ, text=data[0].decode())

typ, data = imap.list()
say('list', folders=[line.decode() for line in data])

ids = {}
for folder in ['"[Gmail]/All Mail"', 'INBOX', '"Work/Projects"']:
    typ, data = imap.select(folder, readonly=True)
    count = int(data[0])
    typ, data = imap.uid('FETCH', '1:*', '(X-GM-MSGID X-GM-THRID X-GM-LABELS FLAGS)')
    rows = []
    for line in data:
        text = line.decode() if isinstance(line, bytes) else line[0].decode()
        m = re.search(r'X-GM-MSGID (\d+)', text)
        rows.append({'msgid': m.group(1), 'thrid': re.search(r'X-GM-THRID (\d+)', text).group(1),
                     'labels': re.search(r'X-GM-LABELS \(([^)]*)\)', text).group(1), 'uid': int(re.search(r'UID (\d+)', text).group(1))})
    ids[folder] = rows
    say('fetch', folder=folder, exists=count, rows=rows)

typ, data = imap.select('INBOX', readonly=True)
first = ids['INBOX'][0]
typ, data = imap.uid('SEARCH', 'X-GM-MSGID', first['msgid'])
say('search msgid', uids=data[0].decode().split())
typ, data = imap.uid('SEARCH', 'X-GM-LABELS', 'Work/Projects')
say('search label', uids=data[0].decode().split())
typ, data = imap.uid('FETCH', str(first['uid']), '(BODY.PEEK[])')
say('body', bytes=len(data[0][1]), messageId=re.search(rb'Message-ID: (<[^>]+>)', data[0][1]).group(1).decode())
typ, data = imap.select('"No such label"')
say('select missing', status=typ, text=data[0].decode())
typ, data = imap.logout()
say('logout', status=typ)
