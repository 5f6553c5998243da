/** Every payload type of the contract, by domain. */
export * from './dto/annotation'
export * from './dto/app'
export * from './dto/job'
export * from './dto/model'
export * from './dto/project'
export * from './dto/segment'
export * from './dto/queue'
