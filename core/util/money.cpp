#include "util/money.h"

namespace cqrs {

QString formatCents(qint64 cents)
{
    const bool negative = cents < 0;
    // Work on the magnitude as unsigned so INT64_MIN does not overflow.
    const quint64 magnitude = negative ? quint64(0) - quint64(cents) : quint64(cents);
    QString units = QString::number(magnitude / 100);
    for (qsizetype i = units.size() - 3; i > 0; i -= 3)
        units.insert(i, u',');
    const QString fraction = QStringLiteral("%1").arg(magnitude % 100, 2, 10, QLatin1Char('0'));
    return (negative ? QStringLiteral("-") : QString()) + units + u'.' + fraction;
}

} // namespace cqrs

namespace cqrs {

QString formatCount(qint64 value)
{
    QString text = QString::number(value < 0 ? -value : value);
    for (qsizetype i = text.size() - 3; i > 0; i -= 3)
        text.insert(i, u',');
    return value < 0 ? QStringLiteral("-") + text : text;
}

} // namespace cqrs
