/** calibration:* channels: the review queue's calibrated confidence for a category. */
import { absentThresholdForMissRate, acceptAllAbove, previewAcceptAll, reviewHistogram } from '../../services/calibration/reviewCalibration'
import type { StudioContext } from '../context'
import type { Handlers } from '../dispatch'
import { historyState } from '../dto'
import { refitAndAnnounce } from '../reviewCalibrationHost'

type CalibrationChannels = 'calibration:histogram' | 'calibration:acceptAll' | 'calibration:absentThreshold'

export function calibrationHandlers(context: StudioContext): Pick<Handlers, CalibrationChannels> {
  const { events } = context.options
  return {
    'calibration:histogram': ({ categoryId, bins, acceptAbove }) => {
      const session = context.requireSession()
      const { project } = session
      project.categories.require(categoryId)
      // Announced like a refit after decisions, so the image list follows; re-reading changes nothing more.
      refitAndAnnounce(context, session, categoryId)
      const histogram = reviewHistogram(project, categoryId, bins)
      const at = acceptAbove ?? histogram.threshold
      return { ...histogram, acceptAbove: at, acceptAll: previewAcceptAll(project, categoryId, at) }
    },
    'calibration:acceptAll': ({ categoryId, threshold }) => {
      const { project } = context.requireSession()
      project.categories.require(categoryId)
      const { imageIds, ...result } = acceptAllAbove(project, categoryId, threshold)
      if (imageIds.length > 0) {
        events.emit('annotation:changed', { imageIds, reason: 'review' })
        events.emit('history:changed', historyState(project))
      }
      return result
    },
    'calibration:absentThreshold': ({ categoryId, missRate }) => {
      const { project } = context.requireSession()
      project.categories.require(categoryId)
      return absentThresholdForMissRate(project, categoryId, missRate)
    },
  }
}
