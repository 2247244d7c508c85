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
    /// CRUD: the dashboard reads the write tables, so no view is in use;
    /// each row says so (the projectors keep the views warm for a switch back).
    void setViewsInUse(bool inUse);
    bool viewsInUse() const { return m_inUse; }
    /// Text of the state badge of a projection (for tests).
    QString stateText(const QString& projection) const;
    QString behindText(const QString& projection) const;
    bool pauseEnabled(const QString& projection) const;

protected:
    void changeEvent(QEvent* event) override;

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
    void sizeRow(Row& row);
    void showRow(Row& row, const ProjectionLag& lag, qint64 head);

    QList<Row> m_rows;
    bool m_inUse = true;
    LagSnapshot m_last;
};

} // namespace cqrs::ui
