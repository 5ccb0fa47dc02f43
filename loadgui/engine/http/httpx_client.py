"""HttpxClient: the full-featured client (TLS, HTTP/2, proxies) behind the seam."""

from __future__ import annotations

import ssl

import certifi
import httpx

from loadgui.engine.http import seam
from loadgui.engine.http.seam import Outcome
from loadgui.engine.stats.basics import ErrorKind


def shared_ssl_context() -> ssl.SSLContext:
    """Build once per run: loading the CA bundle costs ~20 ms, too much per worker."""
    return ssl.create_default_context(cafile=certifi.where())


class HttpxClient:
    """One httpx.AsyncClient holding one connection, for one worker.

    A shared client with a large pool is ~8x slower here: httpcore scans every pooled
    connection for each request, so each worker owns a pool of one instead.
    """

    def __init__(self, ssl_context: ssl.SSLContext, timeout: float):
        self._client = httpx.AsyncClient(
            verify=ssl_context,
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1,
                                keepalive_expiry=seam.IDLE_REUSE_LIMIT_S),
            # Never route load through a proxy from the environment, nor read .netrc.
            trust_env=False,
            follow_redirects=False,
        )

    async def send(self, method: str, url: str, headers: dict[str, str],
                   content: bytes | None) -> Outcome:
        try:
            async with self._client.stream(method, url, headers=headers,
                                           content=content) as response:
                nbytes = 0
                async for chunk in response.aiter_raw():
                    nbytes += len(chunk)
                return Outcome(response.status_code, nbytes)
        except httpx.TimeoutException:
            return Outcome(0, 0, ErrorKind.TIMEOUT)
        except httpx.ConnectError:
            return Outcome(0, 0, ErrorKind.CONNECT)
        except (httpx.ReadError, httpx.WriteError):
            return Outcome(0, 0, ErrorKind.READ)
        except httpx.ProtocolError:
            return Outcome(0, 0, ErrorKind.PROTOCOL)
        except Exception:  # errors are values: a failed request is a row, never a crash
            return Outcome(0, 0, ErrorKind.OTHER)

    async def connect(self) -> bool:
        return False  # httpx opens its connection with the first request

    async def aclose(self) -> None:
        await self._client.aclose()
