#pragma once

#include <QString>

namespace cqrs {

/// Formats an amount in integer cents the way people read prices:
/// 950 -> "9.50", 200000000 -> "2,000,000.00", -5 -> "-0.05".
QString formatCents(qint64 cents);

} // namespace cqrs

namespace cqrs {

/// Formats a count with thousands separators: 1204 -> "1,204".
QString formatCount(qint64 value);

} // namespace cqrs
