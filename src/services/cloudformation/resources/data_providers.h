#pragma once
// The data group's providers (providers.h): DynamoDB.

#include "services/cloudformation/resources/providers.h"
