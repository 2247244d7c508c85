#include "resulttable.h"

#include <QJsonArray>
#include <QStringList>
#include <QTextStream>

#include <array>

namespace cqrs::bench {

QString verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Met:
        return QStringLiteral("met");
    case Verdict::Missed:
        return QStringLiteral("MISSED");
    case Verdict::Info:
        return QStringLiteral("info");
    case Verdict::NotMeasured:
        return QStringLiteral("not measured yet");
    case Verdict::Error:
        return QStringLiteral("ERROR");
    }
    return {};
}

Verdict verdictFromName(const QString& name)
{
    for (Verdict verdict : {Verdict::Met, Verdict::Missed, Verdict::Info, Verdict::NotMeasured,
                            Verdict::Error})
        if (verdictName(verdict) == name)
            return verdict;
    return Verdict::Error;
}

ResultRow resultRowFromJson(const QJsonObject& object)
{
    ResultRow row;
    row.id = object.value(QStringLiteral("id")).toString();
    row.what = object.value(QStringLiteral("what")).toString();
    row.figure = object.value(QStringLiteral("result")).toString();
    row.baseline = object.value(QStringLiteral("raw")).toString();
    row.target = object.value(QStringLiteral("target")).toString();
    row.verdict = verdictFromName(object.value(QStringLiteral("verdict")).toString());
    row.data = object.value(QStringLiteral("data")).toObject();
    if (object.contains(QStringLiteral("ratio")))
        row.ratio = object.value(QStringLiteral("ratio")).toDouble();
    return row;
}

namespace {

QString ratioText(const ResultRow& row)
{
    return row.ratio ? QStringLiteral("%1×").arg(*row.ratio, 0, 'f', 2) : QStringLiteral("—");
}

QStringList cells(const ResultRow& row)
{
    return {row.id,
            row.what,
            row.figure,
            row.baseline.isEmpty() ? QStringLiteral("—") : row.baseline,
            ratioText(row),
            row.target.isEmpty() ? QStringLiteral("—") : row.target,
            verdictName(row.verdict)};
}

const QStringList& headers()
{
    static const QStringList names{QStringLiteral("#"),      QStringLiteral("measurement"),
                                   QStringLiteral("result"), QStringLiteral("raw SQLite"),
                                   QStringLiteral("ratio"),  QStringLiteral("target"),
                                   QStringLiteral("verdict")};
    return names;
}

} // namespace

void ResultTable::add(ResultRow row) { m_rows.append(std::move(row)); }

int ResultTable::missedCount() const
{
    int missed = 0;
    for (const ResultRow& row : m_rows)
        missed += row.verdict == Verdict::Missed || row.verdict == Verdict::Error;
    return missed;
}

void ResultTable::printText(QTextStream& out) const
{
    std::array<qsizetype, 7> widths{};
    QList<QStringList> lines{headers()};
    for (const ResultRow& row : m_rows)
        lines.append(cells(row));
    for (const QStringList& line : std::as_const(lines))
        for (qsizetype i = 0; i < line.size(); ++i)
            widths[size_t(i)] = std::max(widths[size_t(i)], line.at(i).size());
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QStringList padded;
        for (qsizetype i = 0; i < lines.at(n).size(); ++i)
            padded.append(lines.at(n).at(i).leftJustified(widths[size_t(i)]));
        QString text = padded.join(QStringLiteral("  "));
        while (text.endsWith(u' ')) // trailing only: sub-rows start with blanks
            text.chop(1);
        out << text << '\n';
        if (n == 0) {
            QStringList rule;
            for (qsizetype width : widths)
                rule.append(QString(width, u'-'));
            out << rule.join(QStringLiteral("  ")) << '\n';
        }
    }
    out.flush();
}

QString ResultTable::markdown() const
{
    QString text;
    text += QStringLiteral("| ") + headers().join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    text += QStringLiteral("|---|---|--:|--:|--:|---|---|\n");
    for (const ResultRow& row : m_rows) {
        QStringList line = cells(row);
        if (row.verdict == Verdict::Missed || row.verdict == Verdict::Error)
            line.last() = QStringLiteral("**") + line.last() + QStringLiteral("**");
        for (QString& cell : line)
            cell.replace(u'|', QStringLiteral("\\|"));
        text += QStringLiteral("| ") + line.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    }
    return text;
}

QJsonObject ResultTable::json() const
{
    QJsonArray rows;
    for (const ResultRow& row : m_rows) {
        QJsonObject object{{QStringLiteral("id"), row.id},
                           {QStringLiteral("what"), row.what},
                           {QStringLiteral("result"), row.figure},
                           {QStringLiteral("raw"), row.baseline},
                           {QStringLiteral("target"), row.target},
                           {QStringLiteral("verdict"), verdictName(row.verdict)},
                           {QStringLiteral("data"), row.data}};
        if (row.ratio)
            object.insert(QStringLiteral("ratio"), *row.ratio);
        rows.append(object);
    }
    return {{QStringLiteral("rows"), rows}};
}

} // namespace cqrs::bench
