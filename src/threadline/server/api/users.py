"""Accounts over HTTP, for admins: list users, add one (its API token is shown once)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from threadline.server.auth import AdminUser, User, current_user
from threadline.server.errors import ERROR_RESPONSES
from threadline.server.security import Role
from threadline.server.services import get_services
from threadline.server.users import MIN_PASSWORD, USER_NAME, create_user

router = APIRouter(tags=["Users"], responses=ERROR_RESPONSES)


class UserOut(BaseModel):
    name: str
    role: Role
    created_at: dt.datetime


class UserIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=100, pattern=USER_NAME.pattern)
    role: Role
    password: str | None = Field(None, min_length=MIN_PASSWORD, max_length=1000)


class NewUser(UserOut):
    token: str = Field(description="An API token; shown only now, stored only as a hash")


@router.get("/me", response_model=UserOut, summary="Who am I")
def me(request: Request, user: User = Depends(current_user)) -> dict[str, Any]:
    account = get_services(request).accounts.by_id(user.id)
    assert account is not None  # current_user just found it
    return {"name": account.name, "role": account.role, "created_at": account.created_at}


@router.get("/users", response_model=list[UserOut], summary="All users")
def list_users(request: Request, _admin: AdminUser) -> list[dict[str, Any]]:
    return [
        {"name": a.name, "role": a.role, "created_at": a.created_at}
        for a in get_services(request).accounts.all()
    ]


@router.post("/users", status_code=201, response_model=NewUser, summary="Add a user")
async def add_user(request: Request, body: UserIn, _admin: AdminUser) -> dict[str, Any]:
    account, token = await run_in_threadpool(
        create_user, get_services(request).accounts, body.name, body.role, body.password
    )
    return {
        "name": account.name,
        "role": account.role,
        "created_at": account.created_at,
        "token": token,
    }
