#pragma once

#include "metrics/lagsnapshot.h"
#include "ui/flownode.h"

class QLabel;
class QToolButton;

namespace cqrs::ui {

class CheckpointBar;

/// A projection in the flow diagram: how far it has got (its checkpoint of
/// the head), how far behind it is, its state in words and colour, its
/// delay, and its own Pause and Retry.
class ProjectionNode final : public FlowNode {
    Q_OBJECT

public:
    ProjectionNode(const QString& name, const QString& title, QWidget* parent = nullptr);

    const QString& name() const { return m_name; }
    void showLag(const ProjectionLag& lag, qint64 head, bool inUse);
    QString stateText() const;
    QString behindText() const;
    QToolButton* pauseButton() const { return m_pause; }
    QToolButton* retryButton() const { return m_retry; }
    const ProjectionLag& lag() const { return m_lag; }

Q_SIGNALS:
    void pauseToggled(const QString& projection, bool paused);
    void retryRequested(const QString& projection);

protected:
    void changeEvent(QEvent* event) override;

private:
    void sizeParts();

    QString m_name;
    CheckpointBar* m_bar = nullptr;
    QLabel* m_badge = nullptr;
    int m_badgeWidth = 0; ///< the narrowest the badge gets: its common states fit
    QToolButton* m_pause = nullptr;
    QToolButton* m_retry = nullptr;
    ProjectionLag m_lag;
    QString m_behindText;
};

} // namespace cqrs::ui
