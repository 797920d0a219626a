"""The ORM's conversions of a row's values, for the few statements run without the ORM
(clinics/share_status.py, scalpsafe/compiled_get.py, assessments/admin/hierarchy.py).

A value comes from the database as the backend keeps it (SQLite keeps times and UUIDs as
text); the ORM passes it through the backend's converters, then the field's own, as
`SQLCompiler.get_converters` and `apply_converters` do. These are those two steps, for columns
or expressions known in advance.
"""

from collections.abc import Iterable, Sequence

Converters = tuple[tuple[tuple, object], ...]


def converters_for(connection, expressions: Iterable) -> Converters:
    """For each expression (a column, or any expression with an output field): the conversions
    the ORM applies to its values from this database, with the expression."""
    return tuple(
        (
            tuple(
                connection.ops.get_db_converters(expression)
                + expression.get_db_converters(connection)
            ),
            expression,
        )
        for expression in expressions
    )


def converted(connection, converters: Converters, values: Sequence) -> list:
    """`values`, one per expression of `converters`, as the ORM gives them to the models."""
    row = []
    for (conversions, expression), value in zip(converters, values, strict=True):
        for convert in conversions:
            value = convert(value, expression, connection)
        row.append(value)
    return row
