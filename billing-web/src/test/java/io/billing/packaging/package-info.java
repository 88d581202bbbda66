/**
 * Static checks of the files that package and run the service: the Docker files (checked without a Docker engine)
 * and the repository as a whole (it reads nothing from outside itself).
 */
package io.billing.packaging;
