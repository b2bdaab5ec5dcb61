#!/usr/bin/python3
"""An outside EWS client against the fake Exchange: exchangelib (Debian's python3-exchangelib)
logs in with NTLM, lists folders, reads items, writes one and syncs.

Run by test/integration/clients/outsideClients.test.ts against a fake it starts:
    /usr/bin/python3 exchangelib_session.py URL LOGIN PASSWORD ADDRESS
Prints one JSON object (what it saw) on stdout; any failure is a traceback and exit status 1.
"""
import json
import sys

from exchangelib import DELEGATE, NTLM, Account, Configuration, Credentials, FileAttachment, Message
from exchangelib.folders import Inbox


def main(url, login, password, address):
    config = Configuration(service_endpoint=url, credentials=Credentials(login, password), auth_type=NTLM)
    account = Account(primary_smtp_address=address, config=config, autodiscover=False, access_type=DELEGATE)
    seen = {'version': str(account.version.api_version)}

    # List: the folder tree under the message folder root (FindFolder Deep), then the inbox's children.
    seen['folders'] = sorted(f.name for f in account.msg_folder_root.walk())
    seen['inboxChildren'] = sorted(f.name for f in account.inbox.children)

    # Read: newest first (FindItem), then every item whole (GetItem with MIME).
    listed = list(account.inbox.all().order_by('-datetime_received').only('subject', 'is_read', 'datetime_received'))
    seen['listed'] = [{'subject': m.subject, 'isRead': m.is_read} for m in listed]
    full = list(account.fetch(ids=[(m.id, m.changekey) for m in listed]))
    seen['mimeStarts'] = sorted(m.mime_content.decode('utf-8', 'replace').split('\r\n', 1)[0] for m in full)

    # Sync: everything so far, then nothing, then the item written below (SyncFolderItems).
    inbox = account.inbox
    first = [change for change, _ in inbox.sync_items()]
    state = inbox.item_sync_state
    again = [change for change, _ in inbox.sync_items(sync_state=state)]
    state = inbox.item_sync_state

    # Write: a message saved in the inbox (CreateItem, SaveOnly), read back by its id.
    note = Message(account=account, folder=account.inbox, subject='Written by exchangelib', body='Hello from Python', to_recipients=[address])
    note.save()
    back = account.inbox.get(id=note.id)
    seen['written'] = {'subject': back.subject, 'isDraft': back.is_draft}
    after = [(change, getattr(item, 'subject', None)) for change, item in inbox.sync_items(sync_state=state, only_fields=['subject'])]
    seen['sync'] = {'first': len(first), 'again': len(again), 'after': [c for c, _ in after], 'afterSubjects': [s for _, s in after]}

    # Hierarchy sync (SyncFolderHierarchy) of the message folder root.
    seen['hierarchy'] = len([c for c, _ in account.msg_folder_root.sync_hierarchy()])
    print(json.dumps(seen))


if __name__ == '__main__':
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(*sys.argv[1:])
