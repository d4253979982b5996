"""Deterministic sample datasets, generated at start-up into an embedded DuckDB catalog named ``samples``.

Every table is reachable as ``samples.<schema>.<table>``, as on a Databricks workspace:

* ``samples.nyctaxi.trips``: taxi trips with the columns of Databricks' own ``samples.nyctaxi.trips``
  (``tpep_pickup_datetime``, ``tpep_dropoff_datetime``, ``trip_distance``, ``fare_amount``, ``pickup_zip``,
  ``dropoff_zip``).
* ``samples.sales``: a small star schema: ``customers`` (with ``signup_date``, for cohorts),
  ``products``, ``orders`` (the fact table, one product per order line) and ``events`` (timestamped
  ``visit`` → ``add_to_cart`` → ``checkout`` → ``purchase`` steps per customer, for funnels and retention).
* ``samples.experiments.checkout_test``: an A/B test, one row per user (``variant`` control or treatment,
  ``platform``, ``assigned_at``, ``converted``, ``revenue``), for experiment readouts: the treatment (a discount
  at checkout) converts better but earns less per order, so revenue per user barely moves.

The rows come from :class:`random.Random` seeded with ``seed`` (never DuckDB's own random functions, whose
sequence may change between DuckDB releases), so the same seed gives the same tables on every machine and
SQL drills can state exact answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb

__all__ = ["CATALOG", "SAMPLE_TABLES", "SampleTable", "load_samples"]

CATALOG = "samples"
TRIP_COUNT = 5000
CUSTOMER_COUNT = 300
PRODUCT_COUNT = 40
ORDER_COUNT = 2500
FUNNEL_STEPS = ("visit", "add_to_cart", "checkout", "purchase")
# Chance that a customer who reached one funnel step in a session goes on to the next one.
FUNNEL_CONVERSION = (0.55, 0.6, 0.75)
EPOCH = datetime(2024, 1, 1)
COUNTRIES = ("US", "US", "US", "GB", "DE", "FR", "NL", "IN", "BR", "JP")
SEGMENTS = ("consumer", "consumer", "smb", "enterprise")
CATEGORIES = ("books", "games", "garden", "kitchen", "music", "outdoor", "toys", "tools")
EXPERIMENT_USERS = 40000
PLATFORMS = ("ios", "android", "web", "web")
# (conversion chance, mean order value) per variant: a discount converts more users at a lower order value.
EXPERIMENT_ARMS = {"control": (0.10, 60.0), "treatment": (0.115, 50.0)}
ZIPS = (10001, 10002, 10003, 10011, 10012, 10013, 10019, 10021, 10023, 10024, 10025, 10028, 10036, 11201)


@dataclass(frozen=True)
class SampleTable:
    schema: str
    table: str
    description: str

    @property
    def qualified_name(self) -> str:
        return f"{CATALOG}.{self.schema}.{self.table}"


SAMPLE_TABLES = (
    SampleTable("nyctaxi", "trips", f"{TRIP_COUNT} taxi trips in Manhattan and Brooklyn, Jan-Mar 2024"),
    SampleTable("sales", "customers", f"{CUSTOMER_COUNT} customers with country, segment and signup_date"),
    SampleTable("sales", "products", f"{PRODUCT_COUNT} products with category and unit_price"),
    SampleTable("sales", "orders", f"{ORDER_COUNT} orders: customer, product, quantity, amount, status"),
    SampleTable(
        "sales", "events", "funnel events per customer session: visit, add_to_cart, checkout, purchase"
    ),
    SampleTable(
        "experiments",
        "checkout_test",
        f"{EXPERIMENT_USERS} users of an A/B test: variant, platform, assigned_at, converted, revenue",
    ),
)


def load_samples(connection: duckdb.DuckDBPyConnection, seed: int = 42) -> None:
    """Attach an in-memory ``samples`` catalog to ``connection`` and fill it from ``seed``."""
    rng = random.Random(seed)
    connection.execute(f"ATTACH ':memory:' AS {CATALOG}")
    connection.execute(f"CREATE SCHEMA {CATALOG}.nyctaxi")
    connection.execute(f"CREATE SCHEMA {CATALOG}.sales")
    _create(connection, "nyctaxi.trips", _TRIPS_COLUMNS, _trips(rng))
    customers = _customers(rng)
    _create(connection, "sales.customers", _CUSTOMER_COLUMNS, customers)
    products = _products(rng)
    _create(connection, "sales.products", _PRODUCT_COLUMNS, products)
    _create(connection, "sales.orders", _ORDER_COLUMNS, _orders(rng, customers, products))
    _create(connection, "sales.events", _EVENT_COLUMNS, _events(rng, customers))
    connection.execute(f"CREATE SCHEMA {CATALOG}.experiments")
    # Its own generator, so adding this table left every earlier table's rows as they were for a given seed.
    _create(
        connection,
        "experiments.checkout_test",
        _EXPERIMENT_COLUMNS,
        _experiment(random.Random(f"{seed}-experiments")),
    )


def _create(
    connection: duckdb.DuckDBPyConnection,
    name: str,
    columns: tuple[tuple[str, str], ...],
    rows: list[tuple[Any, ...]],
) -> None:
    """Create a table and load its rows column-wise in one statement (``executemany`` is row-by-row slow)."""
    definition = ", ".join(f"{column} {sql_type}" for column, sql_type in columns)
    connection.execute(f"CREATE TABLE {CATALOG}.{name} ({definition})")
    params = {f"c{i}": [row[i] for row in rows] for i in range(len(columns))}
    select = ", ".join(f"unnest($c{i})::{sql_type}" for i, (_, sql_type) in enumerate(columns))
    connection.execute(f"INSERT INTO {CATALOG}.{name} SELECT {select}", params)


_TRIPS_COLUMNS = (
    ("tpep_pickup_datetime", "TIMESTAMP"),
    ("tpep_dropoff_datetime", "TIMESTAMP"),
    ("trip_distance", "DOUBLE"),
    ("fare_amount", "DOUBLE"),
    ("pickup_zip", "INTEGER"),
    ("dropoff_zip", "INTEGER"),
)


def _trips(rng: random.Random) -> list[tuple[Any, ...]]:
    rows = []
    for _ in range(TRIP_COUNT):
        pickup = EPOCH + timedelta(seconds=rng.randrange(90 * 24 * 3600))
        distance = round(rng.lognormvariate(0.6, 0.7), 2)
        minutes = max(2.0, distance * rng.uniform(3.0, 7.0))
        fare = round(3.0 + 2.5 * distance + 0.35 * minutes, 1)
        dropoff = pickup + timedelta(seconds=int(minutes * 60))
        rows.append((pickup, dropoff, distance, fare, rng.choice(ZIPS), rng.choice(ZIPS)))
    rows.sort(key=lambda row: row[0])
    return rows


_CUSTOMER_COLUMNS = (
    ("customer_id", "BIGINT"),
    ("name", "VARCHAR"),
    ("email", "VARCHAR"),
    ("country", "VARCHAR"),
    ("segment", "VARCHAR"),
    ("signup_date", "DATE"),
)
_FIRST = ("Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemi", "Liam")
_LAST = ("Okafor", "Schmidt", "Tanaka", "Silva", "Nguyen", "Rossi", "Kowalski", "Haddad", "Byrne", "Lund")


def _customers(rng: random.Random) -> list[tuple[Any, ...]]:
    rows = []
    for customer_id in range(1, CUSTOMER_COUNT + 1):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        signup = date(2024, 1, 1) + timedelta(days=rng.randrange(180))
        email = f"{first.lower()}.{last.lower()}{customer_id}@example.com"
        rows.append(
            (customer_id, f"{first} {last}", email, rng.choice(COUNTRIES), rng.choice(SEGMENTS), signup)
        )
    return rows


_PRODUCT_COLUMNS = (
    ("product_id", "BIGINT"),
    ("name", "VARCHAR"),
    ("category", "VARCHAR"),
    ("unit_price", "DECIMAL(10,2)"),
)


def _products(rng: random.Random) -> list[tuple[Any, ...]]:
    rows = []
    for product_id in range(1, PRODUCT_COUNT + 1):
        category = CATEGORIES[(product_id - 1) % len(CATEGORIES)]
        price = Decimal(rng.randrange(299, 19999)) / 100
        rows.append((product_id, f"{category.title()} item {product_id}", category, price))
    return rows


_ORDER_COLUMNS = (
    ("order_id", "BIGINT"),
    ("customer_id", "BIGINT"),
    ("product_id", "BIGINT"),
    ("order_ts", "TIMESTAMP"),
    ("quantity", "INTEGER"),
    ("amount", "DECIMAL(12,2)"),
    ("status", "VARCHAR"),
)


def _orders(
    rng: random.Random, customers: list[tuple[Any, ...]], products: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    statuses = ("completed",) * 8 + ("refunded", "cancelled")
    drafts = []
    for _ in range(ORDER_COUNT):
        customer = rng.choice(customers)
        product = rng.choice(products)
        signed_up: date = customer[5]
        start = datetime(signed_up.year, signed_up.month, signed_up.day)
        # Order volume decays after signup, which gives cohort-retention drills a realistic curve.
        ordered = start + timedelta(days=min(239, int(rng.expovariate(1 / 40))), seconds=rng.randrange(86400))
        quantity = rng.choice((1, 1, 1, 2, 2, 3, 5))
        drafts.append(
            (customer[0], product[0], ordered, quantity, product[3] * quantity, rng.choice(statuses))
        )
    drafts.sort(key=lambda row: row[2])
    return [(order_id, *row) for order_id, row in enumerate(drafts, start=1)]


_EVENT_COLUMNS = (
    ("event_id", "BIGINT"),
    ("customer_id", "BIGINT"),
    ("session_id", "VARCHAR"),
    ("event_ts", "TIMESTAMP"),
    ("event_type", "VARCHAR"),
)


def _events(rng: random.Random, customers: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    drafts = []
    for customer in customers:
        signed_up: date = customer[5]
        for session in range(rng.randrange(1, 6)):
            ts = datetime(signed_up.year, signed_up.month, signed_up.day) + timedelta(
                days=rng.randrange(60), seconds=rng.randrange(86400)
            )
            session_id = f"s{customer[0]}-{session}"
            drafts.append((customer[0], session_id, ts, FUNNEL_STEPS[0]))
            for step, chance in zip(FUNNEL_STEPS[1:], FUNNEL_CONVERSION, strict=True):
                if rng.random() >= chance:
                    break
                ts = ts + timedelta(seconds=rng.randrange(20, 900))
                drafts.append((customer[0], session_id, ts, step))
    drafts.sort(key=lambda row: (row[2], row[0]))
    return [(event_id, *row) for event_id, row in enumerate(drafts, start=1)]


_EXPERIMENT_COLUMNS = (
    ("user_id", "BIGINT"),
    ("variant", "VARCHAR"),
    ("platform", "VARCHAR"),
    ("assigned_at", "TIMESTAMP"),
    ("converted", "BOOLEAN"),
    ("revenue", "DECIMAL(10,2)"),
)


def _experiment(rng: random.Random) -> list[tuple[Any, ...]]:
    """Users assigned half and half at random over four weeks; revenue is 0 for a user who did not convert."""
    rows = []
    for user_id in range(1, EXPERIMENT_USERS + 1):
        variant = rng.choice(("control", "treatment"))
        chance, mean_value = EXPERIMENT_ARMS[variant]
        converted = rng.random() < chance
        revenue = round(max(5.0, rng.gauss(mean_value, 18.0)), 2) if converted else 0.0
        assigned = EPOCH + timedelta(days=rng.randrange(28), seconds=rng.randrange(86400))
        rows.append((user_id, variant, rng.choice(PLATFORMS), assigned, converted, revenue))
    return rows
