#pragma once

#include "metrics/lagsnapshot.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;

namespace cqrs::ui {

/// One line per projection: how far it has got (checkpoint of head, events
/// and time behind), its state in words and colour, and its own pause and
/// retry buttons.
class ProjectionPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ProjectionPanel(QWidget* parent = nullptr);

    void applySnapshot(const LagSnapshot& snapshot);
    /// Text of the state badge of a projection (for tests).
    QString stateText(const QString& projection) const;
    QString behindText(const QString& projection) const;

Q_SIGNALS:
    void pauseToggled(const QString& projection, bool paused);
    void retryRequested(const QString& projection);

private:
    struct Row
    {
        QString name;
        QLabel* title;
        QProgressBar* progress;
        QLabel* behind;
        QLabel* state;
        QToolButton* pause;
        QToolButton* retry;
    };
    Row& rowFor(const ProjectionStatus& status);

    QList<Row> m_rows;
};

} // namespace cqrs::ui
