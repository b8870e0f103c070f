"""The demo's ``--keep`` mode: the words for a person following in Element, and the end signals.

What ``bot/demo.py`` prints for the person who joins from a real Element, the local-network
addresses it offers a phone, and how Ctrl-C, SIGTERM or a closed terminal stop the demo.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import sys


def viewer_invitation(
    base_url: str, lan_urls: list[str], viewer: str, password: str, room_name: str
) -> str:
    """How to follow the demo from Element: server, account, room; then the wait."""
    return (
        "\nPour suivre la démo dans un vrai Element (Desktop, Web ou téléphone) :\n"
        f"  - serveur d'accueil : {base_url}"
        + "".join(f" ou {url}" for url in lan_urls)
        + f"\n  - identifiant : {viewer}   mot de passe : {password}\n"
        f"  - acceptez l'invitation au salon « {room_name} ».\n"
        "La démo commence dès que vous êtes dans le salon : Element ne lit que les messages\n"
        "chiffrés envoyés après sa connexion, vous verrez donc tout en direct.\n"
        "En attente… (Ctrl-C pour tout arrêter)"
    )


def still_running(base_url: str, viewer: str, password: str) -> str:
    """What keeps running after the story, and how to stop it."""
    return (
        f"\nLe homeserver ({base_url}) et le bot tournent encore : continuez dans\n"
        f"le salon avec le compte {viewer} (animatrice, écrivez !aide). Les comptes anna,\n"
        f"ben, chloe et david (mot de passe {password}) ne liraient, depuis un nouvel\n"
        "appareil, que les nouveaux messages.\n"
        "Ctrl-C, fermer ce terminal ou arrêter le programme qui l'a lancé arrête tout."
    )


def lan_addresses(bind_address: str) -> list[str]:
    """This machine's IPv4 addresses on the local network, when Synapse listens there."""
    if bind_address not in ("0.0.0.0", "::"):
        return []
    found: set[str] = set()
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("192.0.2.1", 9))  # UDP: picks the outgoing interface, sends nothing
        found.add(str(s.getsockname()[0]))
    return sorted(ip for ip in found if not ip.startswith("127."))


def stop_on_signals() -> None:
    """Ctrl-C, SIGTERM or a closed terminal (SIGHUP) cancel the demo, which then stops the
    bot and Synapse; a second signal while they stop is ignored."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()
    stopping = False

    def stop() -> None:
        nonlocal stopping
        if not stopping and task is not None:
            stopping = True
            print("\nArrêt : le bot et le homeserver s'arrêtent.", file=sys.stderr, flush=True)
            task.cancel()

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(sig, stop)
