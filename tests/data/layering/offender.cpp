// A ui/ file that reaches for SQL: the layering check must refuse it.
#include <QtSql/QSqlQuery>
