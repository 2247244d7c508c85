#include "ui/nodeexplanations.h"

#include <QFile>
#include <QStringList>

namespace cqrs::ui {

NodeExplanations::NodeExplanations(const QString& markdown) {
    QString id;
    QString title;
    QStringList lines;
    const auto finish = [&] {
        if (!id.isEmpty() && !title.isEmpty()) {
            m_titles.insert(id, title);
            m_texts.insert(id, lines.join(u' ').simplified());
        }
        id.clear();
        title.clear();
        lines.clear();
    };
    for (const QString& raw : markdown.split(u'\n')) {
        const QString line = raw.trimmed();
        if (line.startsWith(QLatin1String("## "))) {
            finish();
            id = line.mid(3).trimmed();
        } else if (!id.isEmpty() && title.isEmpty()) {
            title = line;
        } else if (!id.isEmpty() && !line.isEmpty()) {
            lines.append(line);
        }
    }
    finish();
}

const NodeExplanations& NodeExplanations::shipped() {
    static const NodeExplanations texts = [] {
        QFile file(QStringLiteral(":/diagram/nodes.md"));
        return NodeExplanations(file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll())
                                                               : QString());
    }();
    return texts;
}

} // namespace cqrs::ui
