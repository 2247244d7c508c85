#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

class QTextStream;

namespace cqrs::bench {

enum class Verdict { Met, Missed, Info, NotMeasured, Error };

QString verdictName(Verdict verdict);
Verdict verdictFromName(const QString& name);

/// One line of the report: a figure, its raw baseline when there is one,
/// the ratio, the target and whether it was met.
struct ResultRow
{
    QString id;       ///< "1a", "3b", ...
    QString what;     ///< what was measured, with the conditions
    QString figure;   ///< the measured value, formatted with its unit
    QString baseline; ///< the raw SQLite figure, formatted, or empty
    std::optional<double> ratio;
    QString target;
    Verdict verdict = Verdict::Info;
    /// Numbers for the JSON report (value, baseline, per-run values...).
    QJsonObject data;
};

/// A row as ResultTable::json() wrote it (to read a child process's report).
ResultRow resultRowFromJson(const QJsonObject& object);

/// Collects the rows as measurements finish and prints them as an aligned
/// text table, Markdown or JSON. Rows are printed as they come too, so a
/// long full run shows progress.
class ResultTable final
{
public:
    void add(ResultRow row);
    const QList<ResultRow>& rows() const { return m_rows; }
    int missedCount() const;

    void printText(QTextStream& out) const;
    QString markdown() const;
    QJsonObject json() const;

private:
    QList<ResultRow> m_rows;
};

} // namespace cqrs::bench
