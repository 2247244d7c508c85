#pragma once

#include <QString>
#include <QStringList>

namespace cqrs::SearchQuery {

/// Splits what a person typed into search terms: whitespace-separated,
/// control characters dropped, terms without a letter or digit dropped, at
/// most 16 terms of at most 64 characters each. Any input is accepted.
QStringList terms(const QString& text);

/// An FTS5 MATCH expression for the terms: each term a quoted string (so
/// quotes, AND/OR/NEAR, '*', ':' and '^' lose their meaning), all required,
/// the last one matched as a prefix. Empty when there are no terms.
QString ftsExpression(const QStringList& terms);

/// A LIKE pattern matching `term` literally anywhere (escape character '\').
QString likePattern(const QString& term);

} // namespace cqrs::SearchQuery
