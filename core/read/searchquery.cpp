#include "read/searchquery.h"

namespace cqrs::SearchQuery {

namespace {
constexpr int maxTerms = 16;
constexpr int maxTermLength = 64;
} // namespace

QStringList terms(const QString& text)
{
    // Walks code points, not UTF-16 units: a letter outside the BMP is a
    // letter, and a term is never cut in the middle of a surrogate pair. A
    // lone surrogate (half a character) separates terms like a control
    // character: bound into an FTS5 expression it would swallow the closing
    // quote that follows it ("unterminated string").
    QStringList result;
    QString current;
    bool meaningful = false;
    const auto flush = [&] {
        if (meaningful && result.size() < maxTerms) {
            qsizetype length = std::min<qsizetype>(current.size(), maxTermLength);
            if (length < current.size() && current.at(length - 1).isHighSurrogate())
                --length;
            result.append(current.left(length));
        }
        current.clear();
        meaningful = false;
    };
    for (qsizetype i = 0; i < text.size() && result.size() < maxTerms; ++i) {
        char32_t c = text.at(i).unicode();
        qsizetype units = 1;
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            units = 2;
        } else if (QChar::isSurrogate(c)) {
            c = 0;
        }
        if (c == 0 || QChar::isSpace(c) || QChar::category(c) == QChar::Other_Control) {
            flush();
        } else {
            current.append(text.mid(i, units));
            meaningful = meaningful || QChar::isLetterOrNumber(c);
        }
        i += units - 1;
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
