#pragma once

#include <QHash>
#include <QString>

namespace cqrs::ui {

/// The flow diagram's teaching texts, read from resources/diagram/nodes.md:
/// for each node id a title and a few sentences, written for this lab.
class NodeExplanations final {
public:
    /// Parses `markdown`: a section is "## id", the title on the next line,
    /// then the text up to the next section.
    explicit NodeExplanations(const QString& markdown);
    /// The texts shipped with the program.
    static const NodeExplanations& shipped();

    bool has(const QString& id) const { return m_titles.contains(id); }
    QString title(const QString& id) const { return m_titles.value(id); }
    QString text(const QString& id) const { return m_texts.value(id); }
    int count() const { return int(m_titles.size()); }

private:
    QHash<QString, QString> m_titles;
    QHash<QString, QString> m_texts;
};

} // namespace cqrs::ui
