#include "read/searchquery.h"

namespace cqrs::SearchQuery {

namespace {
constexpr int maxTerms = 16;
constexpr int maxTermLength = 64;
} // namespace

QStringList terms(const QString& text)
{
    QStringList result;
    QString current;
    const auto flush = [&] {
        bool meaningful = false;
        for (QChar c : std::as_const(current))
            meaningful = meaningful || c.isLetterOrNumber();
        if (meaningful && result.size() < maxTerms)
            result.append(current.left(maxTermLength));
        current.clear();
    };
    for (QChar c : text) {
        if (result.size() >= maxTerms)
            break;
        if (c.isSpace() || c.category() == QChar::Other_Control || c.isNull())
            flush();
        else
            current.append(c);
    }
    flush();
    return result;
}

QString ftsExpression(const QStringList& terms)
{
    QStringList quoted;
    for (QString term : terms) {
        term.replace(u'"', QStringLiteral("\"\""));
        quoted.append(u'"' + term + u'"');
    }
    if (quoted.isEmpty())
        return {};
    quoted.last().append(u'*');
    return quoted.join(u' ');
}

QString likePattern(const QString& term)
{
    QString escaped;
    for (QChar c : term) {
        if (c == u'\\' || c == u'%' || c == u'_')
            escaped.append(u'\\');
        escaped.append(c);
    }
    return u'%' + escaped + u'%';
}

} // namespace cqrs::SearchQuery
