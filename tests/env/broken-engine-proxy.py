#!/usr/bin/env python3
"""A loopback TCP front for the real engine's unix socket that breaks one kind of request midway.

Usage: broken-engine-proxy.py <engine socket> <path fragment>
Prints the port it listens on (127.0.0.1), then serves until killed. Every request is passed to the
engine with "Connection: close", so each has a connection of its own. A request whose path contains
the fragment gets the engine's response headers and the first byte of its body, then the
connection is cut: the engine seen through it stops answering in the middle of a response.
"""
import asyncio
import sys

SOCKET, FRAGMENT = sys.argv[1], sys.argv[2].encode()
BODY_BYTES_BEFORE_THE_CUT = 1


def closing(head: bytes) -> bytes:
    lines = [l for l in head.split(b"\r\n") if l and not l.lower().startswith(b"connection:")]
    return b"\r\n".join(lines + [b"Connection: close", b"", b""])


async def handle(client_reader, client_writer):
    try:
        head = await client_reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        body = await client_reader.readexactly(length) if length else b""
        path = head.split(b" ", 2)[1]
        engine_reader, engine_writer = await asyncio.open_unix_connection(SOCKET)
        engine_writer.write(closing(head) + body)
        await engine_writer.drain()
        if FRAGMENT in path:
            response_head = await engine_reader.readuntil(b"\r\n\r\n")
            client_writer.write(response_head + await engine_reader.read(BODY_BYTES_BEFORE_THE_CUT))
        else:
            while chunk := await engine_reader.read(65536):
                client_writer.write(chunk)
        await client_writer.drain()
        engine_writer.close()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        client_writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


asyncio.run(main())
