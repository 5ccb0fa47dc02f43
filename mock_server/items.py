"""Items CRUD kept in one instance's memory: what the cluster's sticky routing is tested with."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, status
from pydantic import BaseModel

router = APIRouter()


class Item(BaseModel):
    name: str
    price: float


class StoredItem(Item):
    item_id: str
    instance: str


def _store(request: Request) -> dict[str, Item]:
    items: dict[str, Item] = request.app.state.items
    return items


def _stored(request: Request, item_id: str, item: Item) -> StoredItem:
    instance = request.app.state.settings.instance_id
    return StoredItem(item_id=item_id, instance=instance, **item.model_dump())


@router.post("/items/", status_code=status.HTTP_201_CREATED)
async def create_item(request: Request, item_id: str, item: Item) -> StoredItem:
    items = _store(request)
    if item_id in items:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, f"item {item_id!r} already exists")
    items[item_id] = item
    return _stored(request, item_id, item)


@router.get("/items/{item_id}")
async def read_item(request: Request, item_id: str) -> StoredItem:
    item = _store(request).get(item_id)
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"item {item_id!r} not found")
    return _stored(request, item_id, item)


@router.put("/items/{item_id}")
async def update_item(request: Request, item_id: str, item: Item) -> StoredItem:
    items = _store(request)
    if item_id not in items:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"item {item_id!r} not found")
    items[item_id] = item
    return _stored(request, item_id, item)
